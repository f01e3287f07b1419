/**
 * Segment memberships kept current: after a full metrics recompute every segment is evaluated
 * for the whole shop, in SQL; after an incremental one, only for the customers that changed, in
 * memory. Each run inserts those who now match and deletes those who no longer do, in one
 * statement, and records every entry and exit; a customer whose membership did not change leaves
 * no trace.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { AfterRescoring } from "~/services/analytics/refresh-dirty.server";
import { audienceQuery } from "./audience-sql";
import { CUSTOMER_FIELDS_JSON, customerRecord } from "./customer-record";
import { evaluateSegment, type PurchasedProduct, type SegmentExpression } from "./language";

export interface MembershipChanges {
  entered: number;
  exited: number;
}

type StoredSegment = { id: string; ast: SegmentExpression };

/** Sums the `events` CTE's rows by kind. */
function changesOf(rows: ReadonlyArray<{ kind: string; count: number }>): MembershipChanges {
  const count = (kind: string) => rows.find((row) => row.kind === kind)?.count ?? 0;
  return { entered: count("enter"), exited: count("exit") };
}

/** Evaluates one segment for the whole shop. */
async function refreshSegment(
  sql: SqlQueryable,
  shopId: number,
  segment: StoredSegment,
  at: Date,
): Promise<MembershipChanges> {
  const audience = audienceQuery(shopId, segment.ast);
  const segmentParam = `$${audience.params.length + 1}`;
  const atParam = `$${audience.params.length + 2}`;
  const { rows } = await sql.query<{ kind: string; count: number }>(
    `WITH target AS (SELECT c.id ${audience.from}),
     entered AS (
       INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
       SELECT $1, ${segmentParam}::bigint, id, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM target ORDER BY id
       ON CONFLICT DO NOTHING RETURNING customer_id),
     exited AS (
       DELETE FROM segment_membership sm
       WHERE sm.shop_id = $1 AND sm.segment_id = ${segmentParam}::bigint
         AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = sm.customer_id)
       RETURNING sm.customer_id),
     events AS (
       INSERT INTO segment_membership_event (shop_id, segment_id, customer_id, kind, at)
       SELECT $1, ${segmentParam}::bigint, customer_id, kind, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM (SELECT customer_id, 'enter' AS kind FROM entered
             UNION ALL SELECT customer_id, 'exit' FROM exited) changed
       RETURNING kind)
     SELECT kind, count(*)::int AS count FROM events GROUP BY kind`,
    [...audience.params, segment.id, at.toISOString()],
  );
  return changesOf(rows);
}

/**
 * Re-evaluates every segment of the shop for all its customers (after a full recompute). Run
 * inside the transaction that wrote the metrics it reads.
 */
export async function refreshMemberships(
  sql: SqlQueryable,
  shopId: number,
  at: Date,
): Promise<MembershipChanges> {
  const { rows } = await sql.query<StoredSegment>(
    `SELECT id::text, ast FROM segment WHERE shop_id = $1 ORDER BY id`,
    [shopId],
  );
  if (rows.length === 0) return { entered: 0, exited: 0 };
  const total = { entered: 0, exited: 0 };
  for (const segment of rows) {
    const changes = await refreshSegment(sql, shopId, segment, at);
    total.entered += changes.entered;
    total.exited += changes.exited;
  }
  await sql.query(`UPDATE segment SET refreshed_at = now() WHERE shop_id = $1`, [shopId]);
  return total;
}

/** A segment whose rule calls a function (what a customer bought), in jsonpath. */
const CALLS_A_FUNCTION = `'$.** ? (@.kind == "function")'`;

/** When any segment needs them, the customer's bought products as the evaluator takes them. */
const purchasedProductsSql = (shop: string, customerId: string) => `
  CASE WHEN EXISTS (SELECT 1 FROM segment g WHERE g.shop_id = ${shop}
                    AND jsonb_path_exists(g.ast, ${CALLS_A_FUNCTION}))
  THEN (SELECT coalesce(json_agg(json_build_object(
               'productId', ol.product_id::text,
               'processedAt', to_char(o.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               'collectionIds', (SELECT coalesce(json_agg(cp.collection_id::text), '[]')
                                 FROM collection_product cp
                                 WHERE cp.shop_id = ol.shop_id AND cp.product_id = ol.product_id))),
             '[]')
        FROM "order" o JOIN order_line ol ON ol.shop_id = o.shop_id AND ol.order_id = o.id
        WHERE o.shop_id = ${shop} AND o.customer_id = ${customerId} AND o.cancelled_at IS NULL
          AND ol.product_id IS NOT NULL) END`;

interface RescoredCustomerRead {
  /** The customer row's fields (CUSTOMER_FIELDS_JSON), all null when they were deleted. */
  customer: Record<string, unknown>;
  /** The segments they are in now. */
  segments: string[];
  /** Only when a segment of the shop asks what they bought. */
  purchases: PurchasedProduct[] | null;
}

/** Segment ids a rescored customer enters and exits. */
export interface CustomerMembershipChanges {
  enter: string[];
  exit: string[];
}

/**
 * The segments `segments` select for one customer (in memory, by the reference evaluator the
 * compiled SQL is tested against), against those they are in: what they enter and exit. A
 * deleted customer (no metrics) leaves every segment.
 */
export function membershipChanges(
  segments: readonly StoredSegment[],
  read: RescoredCustomerRead,
  now: Date,
  metrics: Record<string, unknown> | null,
): CustomerMembershipChanges {
  const current = new Set(read.segments);
  const record = metrics && {
    ...customerRecord({ ...read.customer, ...metrics }),
    purchasedProducts: read.purchases ?? [],
  };
  const enter: string[] = [];
  const exit: string[] = [];
  for (const segment of segments) {
    const selected = record !== null && evaluateSegment(segment.ast, record, { now });
    if (selected && !current.has(segment.id)) enter.push(segment.id);
    if (!selected && current.has(segment.id)) exit.push(segment.id);
  }
  return { enter, exit };
}

/**
 * Keeps every segment of the shop current for the customers an incremental rescoring just
 * scored, inside the rescoring's two statements: the shop's segments, and each customer's fields
 * and memberships, come back with its claim; the rules are evaluated here against the new
 * scores; its write inserts the entries, deletes the exits and records both. An entry into a
 * segment deleted meanwhile is dropped.
 */
export const rescoredMemberships: AfterRescoring = {
  name: "segments",
  readWithClaim: (shop) => `
    SELECT coalesce(json_agg(json_build_object('id', g.id::text, 'ast', g.ast) ORDER BY g.id), '[]')
    FROM segment g WHERE g.shop_id = ${shop}`,
  readPerCustomer: (shop, customerId) => `json_build_object(
    'customer', ${CUSTOMER_FIELDS_JSON},
    'segments', (SELECT coalesce(json_agg(sm.segment_id::text), '[]') FROM segment_membership sm
                 WHERE sm.shop_id = ${shop} AND sm.customer_id = ${customerId}),
    'purchases', ${purchasedProductsSql(shop, customerId)})`,
  changes: (shopRead, customerRead, readAt, metrics) =>
    membershipChanges(
      shopRead as StoredSegment[],
      customerRead as RescoredCustomerRead,
      readAt,
      metrics,
    ),
  writeWithRescoring: `,
    membership_entered AS (
      INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
      SELECT $1, g.id, r.customer_id, ($2::timestamptz AT TIME ZONE 'UTC')
      FROM rescored r CROSS JOIN LATERAL jsonb_array_elements_text(r.after->'enter') e (id)
      JOIN segment g ON g.shop_id = $1 AND g.id = e.id::bigint
      ORDER BY g.id, r.customer_id
      ON CONFLICT DO NOTHING RETURNING segment_id, customer_id),
    membership_exited AS (
      DELETE FROM segment_membership sm
      USING rescored r CROSS JOIN LATERAL jsonb_array_elements_text(r.after->'exit') e (id)
      WHERE sm.shop_id = $1 AND sm.customer_id = r.customer_id AND sm.segment_id = e.id::bigint
      RETURNING sm.segment_id, sm.customer_id),
    membership_events AS (
      INSERT INTO segment_membership_event (shop_id, segment_id, customer_id, kind, at)
      SELECT $1, segment_id, customer_id, kind, ($2::timestamptz AT TIME ZONE 'UTC')
      FROM (SELECT segment_id, customer_id, 'enter' AS kind FROM membership_entered
            UNION ALL SELECT segment_id, customer_id, 'exit' FROM membership_exited) changed)`,
};

/** Evaluates one segment for the whole shop (after it is created or edited). */
export async function refreshSegmentMembers(
  sql: SqlQueryable,
  shopId: number,
  segment: { id: bigint; ast: SegmentExpression },
  at: Date = new Date(),
): Promise<MembershipChanges> {
  return refreshSegment(sql, shopId, { id: segment.id.toString(), ast: segment.ast }, at);
}
