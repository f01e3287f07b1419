/**
 * Excluded collections → the products they hold. The app does not sync collection membership
 * and Shopify's product and collection webhooks do not carry it, so the membership is looked up
 * through the Admin API when the merchant saves the rules and again on the daily model rebuild,
 * and the resulting product ids are stored beside the rules for the storefront to block.
 */
import { COLLECTION_PRODUCTS_QUERY, COLLECTION_SEARCH_QUERY } from "~/graphql/collections";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlOptions,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import type { EditableRecommendationSettings, ExcludedCollection } from "./settings";
import {
  loadRecommendationSettings,
  saveRecommendationSettings,
  saveResolvedCollections,
} from "./settings-store.server";

/**
 * More ids than this would make every storefront request carry a huge block list; a merchant
 * excluding that much of the catalogue is better served by a tag or product type.
 */
export const MAX_EXCLUDED_COLLECTION_PRODUCTS = 25_000;

export class TooManyCollectionProductsError extends AppError {
  constructor(readonly limit: number) {
    super(`The excluded collections hold more than ${limit} products`);
  }
}

export interface AdminContext {
  transport: AdminGraphqlTransport;
  options?: AdminGraphqlOptions;
}

export interface CollectionResolution {
  /** The collections that still exist, with their current titles; deleted ones are left out. */
  collections: ExcludedCollection[];
  productIds: string[];
  resolvedAt: Date;
}

interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

interface CollectionProductsData {
  collection: {
    id: string;
    title: string;
    products: {
      pageInfo: PageInfo;
      nodes: Array<{ id: string }>;
    };
  } | null;
}

interface CollectionSearchData {
  collections: {
    nodes: Array<{ id: string; title: string; productsCount: { count: number } | null }>;
  } | null;
}

const collectionGid = (id: string) => `gid://shopify/Collection/${id}`;

/** The numeric part of a GID of the given type, as a string; null for anything else. */
function numericId(gid: string, type: "Collection" | "Product"): string | null {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d{1,20})$/.exec(gid);
  return match && match[1] === type ? (match[2] ?? null) : null;
}

/** Pages through every collection's products; a collection that no longer exists is dropped. */
export async function resolveExcludedCollections(
  context: AdminContext,
  collections: readonly ExcludedCollection[],
  now: Date = new Date(),
): Promise<CollectionResolution> {
  const found: ExcludedCollection[] = [];
  const productIds = new Set<string>();
  for (const wanted of collections) {
    const title = await addCollectionProducts(context, wanted.id, productIds);
    if (title === null) {
      logger.info({ collectionId: wanted.id }, "excluded collection no longer exists; dropped");
    } else {
      found.push({ id: wanted.id, title });
    }
  }
  return { collections: found, productIds: [...productIds], resolvedAt: now };
}

/** Adds one collection's products to `into`; its title, or null when it no longer exists. */
async function addCollectionProducts(
  context: AdminContext,
  collectionId: string,
  into: Set<string>,
): Promise<string | null> {
  let after: string | null = null;
  for (;;) {
    const data = await adminGraphqlRequest<CollectionProductsData | null>(
      context.transport,
      COLLECTION_PRODUCTS_QUERY,
      { id: collectionGid(collectionId), after },
      context.options,
    );
    // Deleted, possibly between two pages: its products are no longer excluded.
    const collection: CollectionProductsData["collection"] = data?.collection ?? null;
    if (collection === null) return null;
    for (const node of collection.products.nodes) {
      const id = numericId(node.id, "Product");
      if (id !== null) into.add(id);
    }
    if (into.size > MAX_EXCLUDED_COLLECTION_PRODUCTS) {
      throw new TooManyCollectionProductsError(MAX_EXCLUDED_COLLECTION_PRODUCTS);
    }
    const pageInfo: PageInfo = collection.products.pageInfo;
    if (!pageInfo.hasNextPage || pageInfo.endCursor === null) return collection.title;
    after = pageInfo.endCursor;
  }
}

/** What the collection picker's search answers; `failed` when Shopify could not be asked. */
export interface CollectionSearchAnswer {
  query: string;
  collections: CollectionSearchResult[];
  failed: boolean;
}

export interface CollectionSearchResult {
  id: string;
  title: string;
  productsCount: number | null;
}

/**
 * Shopify's search syntax for titles containing every word of `text`. Backslash escapes the
 * syntax's special characters; quotes and wildcards the merchant typed are dropped, since they
 * would change the query's meaning rather than match literally.
 */
export function collectionTitleQuery(text: string): string {
  return text
    .replace(/["'*]/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((word) => `title:*${word.replace(/[\\:()]/g, (special) => `\\${special}`)}*`)
    .join(" ");
}

/** Up to ten of the shop's collections whose titles match `text`, by title. */
export async function searchCollections(
  context: AdminContext,
  text: string,
): Promise<CollectionSearchResult[]> {
  const query = collectionTitleQuery(text);
  if (query === "") return [];
  const data = await adminGraphqlRequest<CollectionSearchData | null>(
    context.transport,
    COLLECTION_SEARCH_QUERY,
    { query },
    context.options,
  );
  return (data?.collections?.nodes ?? []).flatMap((node) => {
    const id = numericId(node.id, "Collection");
    return id === null
      ? []
      : [{ id, title: node.title, productsCount: node.productsCount?.count ?? null }];
  });
}

export type SaveWithCollectionsResult =
  | { ok: true; settings: EditableRecommendationSettings; collections: "resolved" | "failed" }
  | { ok: false; tooManyProducts: number };

/**
 * The settings page's save: resolves the chosen collections first, so the stored rules and
 * their products agree from the first request on. When Shopify cannot be asked, the rules are
 * saved anyway and the previous products stay until the daily rebuild resolves them again.
 */
export async function saveSettingsResolvingCollections(
  sql: SqlQueryable,
  shopId: number,
  input: EditableRecommendationSettings,
  context: AdminContext,
): Promise<SaveWithCollectionsResult> {
  let resolution: CollectionResolution;
  try {
    resolution = await resolveExcludedCollections(context, input.excludedCollections);
  } catch (error) {
    if (error instanceof TooManyCollectionProductsError) {
      return { ok: false, tooManyProducts: error.limit };
    }
    logger.warn({ shopId, err: error }, "excluded collections not resolved; saving without");
    const settings = await saveRecommendationSettings(sql, shopId, input);
    return { ok: true, settings, collections: "failed" };
  }
  const settings = await saveRecommendationSettings(
    sql,
    shopId,
    { ...input, excludedCollections: resolution.collections },
    resolution,
  );
  return { ok: true, settings, collections: "resolved" };
}

/**
 * The daily refresh: resolves the stored collections again, as products join and leave them
 * without a webhook saying so. Throws when Shopify cannot be asked; the stored products stay.
 * Returns the number of excluded products, or null when the shop excludes no collections.
 */
export async function refreshCollectionExclusions(
  sql: SqlQueryable,
  shopId: number,
  transportFor: (shopDomain: string) => Promise<AdminGraphqlTransport>,
  options: AdminGraphqlOptions = {},
  now: Date = new Date(),
): Promise<number | null> {
  const { settings } = await loadRecommendationSettings(sql, shopId);
  const expected = settings.excludedCollections;
  if (expected.length === 0 && settings.excludedCollectionProductIds.length === 0) return null;
  let resolution: CollectionResolution = { collections: [], productIds: [], resolvedAt: now };
  if (expected.length > 0) {
    const { rows } = await sql.query<{ domain: string }>(`SELECT domain FROM shop WHERE id = $1`, [
      shopId,
    ]);
    const domain = rows[0]?.domain;
    if (domain === undefined) return null;
    resolution = await resolveExcludedCollections(
      { transport: await transportFor(domain), options },
      expected,
      now,
    );
  }
  const written = await saveResolvedCollections(
    sql,
    shopId,
    expected,
    resolution.collections,
    resolution,
  );
  return written ? resolution.productIds.length : null;
}
