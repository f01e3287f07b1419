import {
  CUSTOMERS_UPDATED_SINCE_QUERY,
  ORDER_WITH_LINE_ITEMS_QUERY,
  ORDERS_UPDATED_SINCE_QUERY,
  PRODUCT_WITH_VARIANTS_QUERY,
  PRODUCTS_UPDATED_SINCE_QUERY,
} from "~/graphql/reconciliation";
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { applyRecordBatch, emptyBatch, type RecordBatch } from "./apply-events.server";
import { customerFromGraphql, orderFromGraphql, productFromGraphql } from "./graphql-records";

/**
 * Webhooks are not guaranteed: Shopify drops a delivery after its retries, and a shop can be
 * unreachable for hours. Reconciliation reads everything Shopify changed since the last run
 * (by `updated_at`, with an overlap for clock skew) and writes it through the same
 * ordering-safe upserts as the webhooks, so a missed or out-of-order delivery is repaired and a
 * newer row is never overwritten.
 *
 * Not repaired this way: deletions (Shopify's queries do not return deleted records; the
 * `customers/delete` and `products/delete` webhooks and the compliance topics cover them).
 */
export const RECONCILE_RESOURCES = ["customers", "products", "orders"] as const;
export type ReconcileResource = (typeof RECONCILE_RESOURCES)[number];

/** Re-read this much before the previous run's start, for clock skew and in-flight writes. */
const OVERLAP_MS = 15 * 60 * 1000;
/** With no earlier run or backfill, look back this far. */
const DEFAULT_LOOKBACK_MS = 24 * 60 * 60 * 1000;
/**
 * Page sizes that keep each query under Shopify's 1,000-point single-query cost (an order page
 * multiplies by its 20 line items): customers ≈ 500, products ≈ 940, orders ≈ 800 points, as
 * the simulated store's cost model test checks.
 */
export const RECONCILE_PAGE_SIZE: Record<ReconcileResource, number> = {
  customers: 100,
  products: 20,
  orders: 5,
};

/** A record whose nested page was cut short is read again alone, with its full nested page. */
const SINGLE_RECORD_QUERIES = {
  orders: { document: ORDER_WITH_LINE_ITEMS_QUERY, root: "order", nested: "lineItems" },
  products: { document: PRODUCT_WITH_VARIANTS_QUERY, root: "product", nested: "variants" },
} as const;

const QUERIES: Record<ReconcileResource, string> = {
  customers: CUSTOMERS_UPDATED_SINCE_QUERY,
  products: PRODUCTS_UPDATED_SINCE_QUERY,
  orders: ORDERS_UPDATED_SINCE_QUERY,
};

const TABLES: Record<ReconcileResource, string> = {
  customers: "customer",
  products: "product",
  orders: '"order"',
};

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: unknown[];
}

export interface ReconcileResult {
  resource: ReconcileResource;
  since: Date;
  checked: number;
  /** Records that were missing or older in our database and have been written. */
  repaired: number;
}

export interface ReconcileDependencies {
  sql: SqlClient;
  shopId: number;
  transport: AdminGraphqlTransport;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** Reconciles every resource for one shop; each resource's run is recorded as a sync_job. */
export async function reconcileShop(deps: ReconcileDependencies): Promise<ReconcileResult[]> {
  const results: ReconcileResult[] = [];
  for (const resource of RECONCILE_RESOURCES) {
    results.push(await reconcileResource(deps, resource));
  }
  return results;
}

export async function reconcileResource(
  deps: ReconcileDependencies,
  resource: ReconcileResource,
): Promise<ReconcileResult> {
  const { sql, shopId } = deps;
  const startedAt = (deps.now ?? (() => new Date()))();
  const since = await windowStart(sql, shopId, resource, startedAt);
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO sync_job (shop_id, kind, resource, status, started_at) VALUES ($1, 'reconcile', $2, 'running', $3)
     RETURNING id::text`,
    [shopId, resource, startedAt],
  );
  const jobId = rows[0]?.id;
  let checked = 0;
  let repaired = 0;
  try {
    let after: string | null = null;
    do {
      const data: Record<ReconcileResource, Page> = await adminGraphqlRequest(
        deps.transport,
        QUERIES[resource],
        {
          first: RECONCILE_PAGE_SIZE[resource],
          after,
          query: `updated_at:>'${since.toISOString()}'`,
        },
        { sleep: deps.sleep },
      );
      const page = data[resource];
      const nodes = await completeNestedPages(deps, resource, page.nodes);
      const batch = toBatch(resource, nodes);
      repaired += await countStale(sql, shopId, resource, batch);
      await sql.transaction((tx) => applyRecordBatch(tx, shopId, batch));
      checked += page.nodes.length;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      await sql.query(
        `UPDATE sync_job SET object_count = $2, lines_committed = $3, updated_at = now() WHERE id = $1`,
        [jobId, checked, repaired],
      );
    } while (after);
    await sql.query(
      `UPDATE sync_job SET status = 'done', finished_at = now(), updated_at = now() WHERE id = $1`,
      [jobId],
    );
  } catch (error) {
    await sql.query(
      `UPDATE sync_job SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
      [jobId, (error as Error).message.slice(0, 2000)],
    );
    throw error;
  }
  if (repaired > 0)
    logger.info({ shopId, resource, checked, repaired }, "reconciliation repaired drift");
  return { resource, since, checked, repaired };
}

async function completeNestedPages(
  deps: ReconcileDependencies,
  resource: ReconcileResource,
  nodes: unknown[],
): Promise<unknown[]> {
  if (resource === "customers") return nodes;
  const single = SINGLE_RECORD_QUERIES[resource];
  return Promise.all(
    nodes.map(async (node) => {
      const record = node as Record<string, { pageInfo?: { hasNextPage?: boolean } } | string>;
      const nested = record[single.nested];
      if (typeof nested !== "object" || !nested.pageInfo?.hasNextPage) return node;
      const data = await adminGraphqlRequest<Record<string, unknown>>(
        deps.transport,
        single.document,
        { id: record.id },
        { sleep: deps.sleep },
      );
      return data[single.root] ?? node;
    }),
  );
}

function toBatch(resource: ReconcileResource, nodes: unknown[]): RecordBatch {
  const batch = emptyBatch();
  if (resource === "customers") batch.customers = nodes.map(customerFromGraphql);
  if (resource === "products") batch.products = nodes.map(productFromGraphql);
  if (resource === "orders") batch.orders = nodes.map(orderFromGraphql);
  return batch;
}

/** How many of the page's records are missing from our database or older there. */
async function countStale(
  sql: SqlClient,
  shopId: number,
  resource: ReconcileResource,
  batch: RecordBatch,
): Promise<number> {
  const records = [...batch.customers, ...batch.products, ...batch.orders];
  if (records.length === 0) return 0;
  const { rows } = await sql.query<{ stale: number }>(
    `SELECT count(*)::int AS stale
     FROM unnest($2::bigint[], $3::timestamptz[]) AS incoming(id, updated_at)
     LEFT JOIN ${TABLES[resource]} t ON t.shop_id = $1 AND t.id = incoming.id
     WHERE t.id IS NULL OR (t.deleted_at IS NULL AND t.shopify_updated_at < incoming.updated_at)`,
    [
      shopId,
      records.map((record) => record.id.toString()),
      records.map((record) => record.updatedAt.toISOString()),
    ],
  );
  return rows[0]?.stale ?? 0;
}

/** From the last finished run (or the backfill when there is none), less the overlap. */
async function windowStart(
  sql: SqlClient,
  shopId: number,
  resource: ReconcileResource,
  now: Date,
): Promise<Date> {
  const { rows } = await sql.query<{ started_at: Date | string | null }>(
    `SELECT max(started_at) AS started_at FROM sync_job
     WHERE shop_id = $1 AND resource = $2 AND status = 'done' AND kind IN ('reconcile', 'backfill')`,
    [shopId, resource],
  );
  const last = rows[0]?.started_at;
  const from = last ? new Date(last).getTime() : now.getTime() - DEFAULT_LOOKBACK_MS;
  return new Date(from - OVERLAP_MS);
}
