/**
 * Customers whose metrics need recomputing. The sync path marks them in the same transaction
 * that changes their orders or profile, so a change is never applied without its recompute being
 * owed; the metrics worker claims and clears them. Marking a customer already marked moves the
 * mark's time, so a rescoring that read their orders before this change does not clear it.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

/**
 * A marking moves marked_at forward, even within the same millisecond, so a write holding the
 * value it claimed can tell the customer was marked again meanwhile, and frees the mark for the
 * next claim (the rescoring under way, whose facts are now old, leaves it alone).
 */
const MARKED_AGAIN_AT = `marked_at = greatest(clock_timestamp() AT TIME ZONE 'UTC',
                                    metrics_dirty_customer.marked_at + interval '1 millisecond')`;
const MARKED_AGAIN = `${MARKED_AGAIN_AT}, claimed_until = NULL`;

/**
 * The customers a change touched, those named (`customerIds`, a bigint[] expression) and the
 * buyers of the orders named (`orderIds`), ascending, so concurrent workers take the marks' key
 * locks in the same order and never deadlock.
 */
const changedCustomersSql = (shop: string, customerIds: string, orderIds: string) => `
  SELECT id FROM (
    SELECT unnest(${customerIds}) AS id
    UNION
    SELECT customer_id FROM "order"
    WHERE shop_id = ${shop} AND id = ANY(${orderIds}) AND customer_id IS NOT NULL
  ) changed ORDER BY id`;

export async function markCustomersDirty(
  sql: SqlQueryable,
  shopId: number,
  changed: { customerIds: readonly bigint[]; orderIds: readonly bigint[] },
): Promise<void> {
  if (changed.customerIds.length === 0 && changed.orderIds.length === 0) return;
  await sql.query(
    `INSERT INTO metrics_dirty_customer (shop_id, customer_id)
     SELECT $1, id FROM (${changedCustomersSql("$1", "$2::bigint[]", "$3::bigint[]")}) changed
     ON CONFLICT (shop_id, customer_id) DO UPDATE SET ${MARKED_AGAIN}`,
    [shopId, changed.customerIds.map(String), changed.orderIds.map(String)],
  );
}

/** How long a claim keeps other workers off a mark; a rescoring takes milliseconds. */
const CLAIM_LEASE = "1 minute";

/**
 * CTEs that pick the shop and claim its marks, for a statement's WITH RECURSIVE: `dirty_shop`
 * (`shop_id`, `next_shop_id`) is the first shop from `fromShop` on with a model and marks,
 * found by skipping through the index from one shop to the next (a backlog of marks costs
 * nothing), with the shop after it; `claimed` (`customer_id`, `marked_at` as text) leases up to
 * `limit` of its marks, oldest first, that no other worker holds. A claim deletes nothing: the
 * write that stores the rescoring deletes the mark if it was not marked again meanwhile
 * (markedAgainSql), so an order landing during the rescoring is rescored too.
 *
 * The claimed customers' facts are read as the statement's snapshot shows them, while locking a
 * mark follows it to its newest version: a mark the sync moved after the snapshot was taken
 * (for an order the snapshot does not hold) would be leased with its new time, and the write
 * would store stale scores and delete it. So only marks whose row is still the version the
 * snapshot holds (`seen`) are leased; the others wait for the next claim.
 */
export function claimDirtyCustomersSql(fromShop: string, limit: string): string {
  return `dirty (shop_id) AS (
       (SELECT shop_id FROM metrics_dirty_customer WHERE shop_id >= ${fromShop}
        ORDER BY shop_id LIMIT 1)
       UNION ALL
       SELECT (SELECT d.shop_id FROM metrics_dirty_customer d
               WHERE d.shop_id > dirty.shop_id ORDER BY d.shop_id LIMIT 1)
       FROM dirty WHERE dirty.shop_id IS NOT NULL),
     modelled AS (
       SELECT dirty.shop_id FROM dirty JOIN shop_analytics a ON a.shop_id = dirty.shop_id
       ORDER BY dirty.shop_id LIMIT 2),
     dirty_shop AS (
       SELECT min(shop_id) AS shop_id, nullif(max(shop_id), min(shop_id)) AS next_shop_id
       FROM modelled),
     picked AS MATERIALIZED (
       SELECT customer_id FROM metrics_dirty_customer
       WHERE shop_id = (SELECT shop_id FROM dirty_shop)
         AND (claimed_until IS NULL OR claimed_until < (now() AT TIME ZONE 'UTC'))
       ORDER BY marked_at LIMIT ${limit} FOR UPDATE SKIP LOCKED),
     seen AS MATERIALIZED (
       SELECT k.customer_id, k.xmin FROM metrics_dirty_customer k
       WHERE k.shop_id = (SELECT shop_id FROM dirty_shop)
         AND k.customer_id = ANY(ARRAY(SELECT customer_id FROM picked))),
     claimed AS (
       UPDATE metrics_dirty_customer d
       SET claimed_until = (now() AT TIME ZONE 'UTC') + interval '${CLAIM_LEASE}'
       FROM seen
       WHERE d.shop_id = (SELECT shop_id FROM dirty_shop) AND d.customer_id = seen.customer_id
         AND d.xmin = seen.xmin
       RETURNING d.customer_id, d.marked_at::text AS marked_at)`;
}

/**
 * A JSON array parameter's ids as a bigint[] the planner knows nothing of: a prepared statement
 * given an array parameter is planned again on every call (PostgreSQL estimates rows from the
 * array's length then, so its generic plan never looks as cheap), 0.8 ms each time. The plain
 * marking is not prepared (it is planned on every call anyway) and takes arrays as they are.
 */
const idsFromJson = (param: string) =>
  `ARRAY(SELECT jsonb_array_elements_text(${param}::jsonb)::bigint)`;

/**
 * The same CTEs as claimDirtyCustomersSql, for the shop `shop` alone, from a marking: marks the
 * customers a change touched (customer and order ids as JSON arrays `customerIds` and
 * `orderIds`) as markCustomersDirty does and leases the marks at once when the shop has a model,
 * so the worker that made the change rescores them right after its commit without claiming them
 * first. Without a model (`dirty_shop` empty) they are marked only, for the metrics job. The
 * lease counts from the statement's time, not the transaction's start.
 *
 * The statement reads the customers' facts as its snapshot shows them, so it leases only a mark
 * whose row is the version that snapshot holds (or that it inserted): when another transaction
 * marked the customer after the snapshot was taken (the upsert waited for it), its changes are
 * not in what was read, and the mark stays free for the metrics job. A lease taken here replaces
 * one held elsewhere: that rescoring read older facts, and its write leaves a mark it finds
 * marked again.
 */
export function markAndClaimCustomersSql(shop: string, customerIds: string, orderIds: string) {
  return `dirty_shop AS (
       SELECT a.shop_id, NULL::int AS next_shop_id FROM shop_analytics a WHERE a.shop_id = ${shop}),
     changed AS MATERIALIZED (
       ${changedCustomersSql(shop, idsFromJson(customerIds), idsFromJson(orderIds))}),
     seen AS MATERIALIZED (
       SELECT d.customer_id, d.xmin FROM metrics_dirty_customer d
       WHERE d.shop_id = ${shop} AND d.customer_id IN (SELECT id FROM changed)),
     marked AS (
       INSERT INTO metrics_dirty_customer (shop_id, customer_id, claimed_until)
       SELECT ${shop}, id, (SELECT (clock_timestamp() AT TIME ZONE 'UTC')
                                + interval '${CLAIM_LEASE}' FROM dirty_shop)
       FROM changed ORDER BY id
       ON CONFLICT (shop_id, customer_id) DO UPDATE
       SET ${MARKED_AGAIN_AT},
           claimed_until = CASE WHEN metrics_dirty_customer.xmin = (
             SELECT seen.xmin FROM seen WHERE seen.customer_id = excluded.customer_id)
             THEN excluded.claimed_until END
       RETURNING customer_id, marked_at::text AS marked_at, claimed_until IS NOT NULL AS leased),
     claimed AS (SELECT customer_id, marked_at FROM marked WHERE leased)`;
}
