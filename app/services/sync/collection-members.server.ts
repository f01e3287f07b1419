/**
 * Collection membership after a collections webhook. collections/create and collections/update
 * name the collection but not its products (a smart collection's products follow its rules), so
 * a collection whose stored products belong to an older version than its row is read again
 * through the Admin API, page by page, and its products replaced. The backfill and each
 * reconciliation read every collection's products in their bulk export as well.
 */
import { COLLECTION_PRODUCTS_QUERY } from "~/graphql/collections";
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
  type TransportFor,
} from "~/services/shopify/admin-graphql.server";
import { parseGid } from "./graphql-records";
import { replaceCollectionMembers } from "./write-collections.server";

/** Collections refreshed per shop and pass, so one busy shop does not hold the others up. */
const COLLECTIONS_PER_PASS = 50;

interface CollectionProductsPage {
  collection: {
    products: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: Array<{ id: string }>;
    };
  } | null;
}

/** Refreshes every installed shop's stale collections; returns how many were refreshed. */
export async function refreshStaleCollectionMembers(
  sql: SqlClient,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<number> {
  const { rows } = await sql.query<{ shop_id: number; domain: string }>(
    `SELECT DISTINCT c.shop_id, s.domain FROM collection c JOIN shop s ON s.id = c.shop_id
     WHERE s.state = 'installed' AND c.deleted_at IS NULL
       AND c.members_read_at IS DISTINCT FROM c.shopify_updated_at`,
  );
  let refreshed = 0;
  for (const row of rows) {
    if (!isRunning()) break;
    await sql.whileLocked(`collection-members:${row.shop_id}`, async () => {
      try {
        const transport = await transportFor(row.domain);
        refreshed += await refreshShopCollectionMembers(sql, row.shop_id, transport);
      } catch (error) {
        logger.warn({ shop: row.domain, err: error }, "collection products will be read next pass");
      }
    });
  }
  return refreshed;
}

/** Reads the products of the shop's stale collections; returns how many were refreshed. */
export async function refreshShopCollectionMembers(
  sql: SqlClient,
  shopId: number,
  transport: AdminGraphqlTransport,
): Promise<number> {
  const { rows } = await sql.query<{ id: string; version: Date | string }>(
    `SELECT id::text, shopify_updated_at AT TIME ZONE 'UTC' AS version FROM collection
     WHERE shop_id = $1 AND deleted_at IS NULL
       AND members_read_at IS DISTINCT FROM shopify_updated_at
     ORDER BY shopify_updated_at LIMIT ${COLLECTIONS_PER_PASS}`,
    [shopId],
  );
  for (const row of rows) {
    const collectionId = BigInt(row.id);
    const productIds = await collectionProductIds(transport, collectionId);
    // Gone from Shopify (its delete webhook is on its way): it holds nothing meanwhile.
    await replaceCollectionMembers(
      sql,
      shopId,
      collectionId,
      productIds ?? [],
      new Date(row.version),
    );
  }
  return rows.length;
}

/** The collection's product ids, or null when Shopify no longer has it. */
async function collectionProductIds(
  transport: AdminGraphqlTransport,
  collectionId: bigint,
): Promise<bigint[] | null> {
  const ids: bigint[] = [];
  let after: string | null = null;
  for (;;) {
    const data: CollectionProductsPage = await adminGraphqlRequest<CollectionProductsPage>(
      transport,
      COLLECTION_PRODUCTS_QUERY,
      { id: `gid://shopify/Collection/${collectionId}`, after },
    );
    if (!data.collection) return null;
    const { nodes, pageInfo } = data.collection.products;
    for (const node of nodes) ids.push(parseGid(node.id).id);
    if (!pageInfo.hasNextPage || pageInfo.endCursor === null) return ids;
    after = pageInfo.endCursor;
  }
}
