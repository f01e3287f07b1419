/**
 * The app's own product table, for the rules page's pickers: search by title (or exact id) and
 * the titles of already chosen ids. It works offline and on any plan, unlike a round trip to
 * the Admin API, and shows exactly the products the storefront endpoint can serve.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { isDatabaseId } from "~/lib/shopify-id";

/** What the product pickers' search answers. */
export interface ProductSearchAnswer {
  query: string;
  products: ProductSummary[];
}

export interface ProductSummary {
  id: string;
  title: string;
  status: string;
  inStock: boolean;
}

const SELECT_SUMMARY = `
  SELECT p.id::text AS id, p.title, p.status,
         EXISTS (SELECT 1 FROM variant v WHERE v.shop_id = p.shop_id AND v.product_id = p.id
                   AND v.available_for_sale) AS in_stock
  FROM product p`;

interface SummaryRow {
  id: string;
  title: string;
  status: string;
  in_stock: boolean;
}

const toSummary = (row: SummaryRow): ProductSummary => ({
  id: row.id,
  title: row.title,
  status: row.status,
  inStock: row.in_stock,
});

/** `%`, `_` and `\` in what the merchant typed are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Products whose title contains `query` (any case), active ones first, then by title. */
export async function searchProducts(
  sql: SqlQueryable,
  shopId: number,
  query: string,
  limit: number,
): Promise<ProductSummary[]> {
  const text = query.trim();
  if (text === "") return [];
  const exactId = isDatabaseId(text) ? text : null;
  const { rows } = await sql.query<SummaryRow>(
    `${SELECT_SUMMARY}
     WHERE p.shop_id = $1 AND p.deleted_at IS NULL
       AND (p.title ILIKE $2 ESCAPE '\\' OR p.id = $3::bigint)
     ORDER BY p.id = $3::bigint DESC NULLS LAST, p.status = 'active' DESC, lower(p.title), p.id
     LIMIT $4`,
    [shopId, likePattern(text), exactId, limit],
  );
  return rows.map(toSummary);
}

/** The given products in the given order; ids no longer in the catalogue are left out. */
export async function productSummaries(
  sql: SqlQueryable,
  shopId: number,
  ids: readonly string[],
): Promise<ProductSummary[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql.query<SummaryRow>(
    `${SELECT_SUMMARY}
     WHERE p.shop_id = $1 AND p.id = ANY($2::bigint[]) AND p.deleted_at IS NULL`,
    [shopId, ids],
  );
  const byId = new Map(rows.map((row) => [row.id, toSummary(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
