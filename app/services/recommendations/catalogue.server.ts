/**
 * Catalogue rows for recommendation candidates: what the merchant rules check (status, stock,
 * gift card, tags, product type, vendor) and what a storefront card shows (title, handle, price,
 * image), read in one query per request for just the products that might be shown.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache, readManyThrough } from "~/lib/response-cache";
import type { CatalogueProduct } from "./model/types";
import { isDatabaseId } from "~/lib/shopify-id";

export interface StorefrontProduct extends CatalogueProduct {
  title: string;
  handle: string;
  /** Decimal strings from the shown variant (the cheapest one for sale). */
  price: string | null;
  compareAtPrice: string | null;
  imageUrl: string | null;
  /** The shown variant when it is for sale (what a card adds to the cart), else null. */
  variantId: string | null;
  /** The first few variants by id, for a picker; one entry for a single-variant product. */
  variants: StorefrontVariant[];
}

export interface StorefrontVariant {
  id: string;
  title: string;
  price: string;
  available: boolean;
}

/** A picker longer than this is no use on a small card: the product page has all of them. */
export const MAX_PICKER_VARIANTS = 10;

interface CatalogueRow {
  id: string;
  title: string;
  handle: string;
  status: string;
  tags: string[];
  image_url: string | null;
  created_at: string;
  price: string | null;
  compare_at_price: string | null;
  in_stock: boolean | null;
  variant_id: string | null;
  /** json_agg result: parsed by pg and PGlite, text if a driver leaves json unparsed. */
  variants: StorefrontVariant[] | string | null;
  gift_card: boolean;
  product_type: string | null;
  vendor: string | null;
}

// The cheapest variant for sale stands for the product (what "from $x" shows); when none is for
// sale the product is out of stock. Gift card lines never enter the model (the build leaves them
// out), so only a new arrival could be a gift card, and Shopify gives those the type "Gift Card".
const SELECT_CATALOGUE = `
  SELECT p.id::text AS id, p.title, p.handle, p.status, p.tags, p.image_url,
         to_char(p.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
         v.price::text AS price, v.compare_at_price::text AS compare_at_price,
         v.available_for_sale AS in_stock, v.id::text AS variant_id, vs.variants,
         coalesce(lower(p.product_type), '') = 'gift card' AS gift_card,
         p.product_type, p.vendor
  FROM product p
  LEFT JOIN LATERAL (
    SELECT id, price, compare_at_price, available_for_sale FROM variant
    WHERE variant.shop_id = p.shop_id AND variant.product_id = p.id
    ORDER BY available_for_sale DESC, price ASC, id ASC LIMIT 1
  ) v ON true
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('id', w.id::text, 'title', w.title,
             'price', w.price::text, 'available', w.available_for_sale) ORDER BY w.id) AS variants
    FROM (
      SELECT id, title, price, available_for_sale FROM variant
      WHERE variant.shop_id = p.shop_id AND variant.product_id = p.id
      ORDER BY id LIMIT ${MAX_PICKER_VARIANTS}
    ) w
  ) vs ON true`;

/** The given products that still exist (deleted ones are simply absent, so never shown). */
export async function loadCatalogue(
  sql: SqlQueryable,
  shopId: number,
  productIds: readonly string[],
): Promise<Map<string, StorefrontProduct>> {
  const ids = productIds.filter(isDatabaseId);
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<CatalogueRow>(
    `${SELECT_CATALOGUE}
     WHERE p.shop_id = $1 AND p.id = ANY($2::bigint[]) AND p.deleted_at IS NULL`,
    [shopId, ids],
  );
  return new Map(rows.map((row) => [row.id, toProduct(row)]));
}

export type CatalogueReader = typeof loadCatalogue;

/**
 * Storefront product rows per shop, model build and product, held for a minute in this process:
 * the same popular products are candidates in almost every answer, and reading them again each
 * time was one of the storefront request's round trips. A product edit or a sell-out shows
 * within a minute or at the next model build, whichever comes first; anonymous answers are
 * cached for five minutes anyway. Exported for tests.
 */
export const servingCatalogue = new ResponseCache<{ value: StorefrontProduct | null }>(
  20_000,
  60_000,
);

/** A reader for one request, keyed to the model build it serves. */
export function servingCatalogueReader(builtAt: Date | null): CatalogueReader {
  const build = builtAt?.getTime() ?? 0;
  return (sql, shopId, productIds) =>
    readManyThrough(
      servingCatalogue,
      (id) => `${shopId}:${build}:${id}`,
      [...new Set(productIds)],
      (missing) => loadCatalogue(sql, shopId, missing),
    );
}

/** Active products created after `since`, newest first (the cold-start "new arrivals"). */
export async function loadNewArrivals(
  sql: SqlQueryable,
  shopId: number,
  since: Date,
  limit: number,
): Promise<StorefrontProduct[]> {
  const { rows } = await sql.query<CatalogueRow>(
    `${SELECT_CATALOGUE}
     WHERE p.shop_id = $1 AND p.status = 'active' AND p.deleted_at IS NULL
       AND p.created_at > ($2::timestamptz AT TIME ZONE 'UTC')
     ORDER BY p.created_at DESC, p.id DESC LIMIT $3`,
    [shopId, since.toISOString(), limit],
  );
  return rows.map(toProduct);
}

function toProduct(row: CatalogueRow): StorefrontProduct {
  const status = row.status === "active" || row.status === "draft" ? row.status : "archived";
  return {
    id: row.id,
    status,
    giftCard: row.gift_card,
    inStock: row.in_stock === true,
    tags: row.tags,
    collectionIds: [],
    productType: row.product_type,
    vendor: row.vendor,
    createdAt: new Date(row.created_at),
    title: row.title,
    handle: row.handle,
    price: row.price,
    compareAtPrice: row.compare_at_price,
    imageUrl: row.image_url,
    variantId: row.in_stock === true ? row.variant_id : null,
    variants: typeof row.variants === "string" ? parseVariants(row.variants) : (row.variants ?? []),
  };
}

const parseVariants = (text: string): StorefrontVariant[] =>
  JSON.parse(text) as StorefrontVariant[];
