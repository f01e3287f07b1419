/**
 * Customers whose metrics need recomputing. The sync path marks them in the same transaction
 * that changes their orders or profile, so a change is never applied without its recompute being
 * owed; the metrics worker claims and clears them.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export async function markCustomersDirty(
  sql: SqlQueryable,
  shopId: number,
  changed: { customerIds: readonly bigint[]; orderIds: readonly bigint[] },
): Promise<void> {
  if (changed.customerIds.length === 0 && changed.orderIds.length === 0) return;
  // Sorted so concurrent workers take the key locks in the same order and never deadlock.
  await sql.query(
    `INSERT INTO metrics_dirty_customer (shop_id, customer_id)
     SELECT $1, id FROM (
       SELECT unnest($2::bigint[]) AS id
       UNION
       SELECT customer_id FROM "order"
       WHERE shop_id = $1 AND id = ANY($3::bigint[]) AND customer_id IS NOT NULL
     ) changed ORDER BY id
     ON CONFLICT DO NOTHING`,
    [shopId, changed.customerIds.map(String), changed.orderIds.map(String)],
  );
}

/**
 * A statement (for a WITH clause) that removes and returns (`customer_id`) up to `limit` dirty
 * customers of the shop `shop`, oldest marks first, skipping those another worker holds. Run it
 * inside the transaction that writes their metrics: a crash before the commit leaves them dirty.
 * The picked ids go through an array so the deletion is a primary key lookup whatever the
 * planner guesses for the limit: a join with the picked rows, planned generically for a table
 * holding another shop's backlog, hashed the whole table to delete one row.
 */
export function claimDirtyCustomersSql(shop: string, limit: string): string {
  return `DELETE FROM metrics_dirty_customer d
     WHERE d.shop_id = ${shop} AND d.customer_id = ANY(ARRAY(
       SELECT customer_id FROM metrics_dirty_customer WHERE shop_id = ${shop}
       ORDER BY marked_at LIMIT ${limit} FOR UPDATE SKIP LOCKED))
     RETURNING d.customer_id`;
}

/**
 * Shops with a model and customers to rescore. The distinct shops are found by skipping
 * through the index from one shop to the next, a few lookups per shop, so a backlog of marks
 * (a backfill's) costs nothing here.
 */
export async function shopsWithDirtyCustomers(sql: SqlQueryable): Promise<number[]> {
  const { rows } = await sql.query<{ shop_id: number }>(
    `WITH RECURSIVE dirty (shop_id) AS (
       (SELECT shop_id FROM metrics_dirty_customer ORDER BY shop_id LIMIT 1)
       UNION ALL
       SELECT (SELECT d.shop_id FROM metrics_dirty_customer d
               WHERE d.shop_id > dirty.shop_id ORDER BY d.shop_id LIMIT 1)
       FROM dirty WHERE dirty.shop_id IS NOT NULL)
     SELECT dirty.shop_id FROM dirty JOIN shop_analytics a ON a.shop_id = dirty.shop_id
     ORDER BY dirty.shop_id`,
    [],
    { preparedAs: "analytics_shops_with_dirty_customers" },
  );
  return rows.map((row) => row.shop_id);
}
