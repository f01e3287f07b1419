/**
 * A scored shop for the segment tests: customers with BG/NBD order histories, every seventh a
 * VIP and every third subscribed to email, metrics and memberships computed; and a customer row
 * as the in-memory evaluator sees it, to compare the SQL with.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { generateOrderHistories } from "~/services/analytics/testing/bgnbd-orders";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { recomputeMetricsAndSegments } from "../metrics-and-segments.server";
import { customerRecord } from "../customer-record";
import type { CustomerRecord } from "../language";

export async function seedScoredShop(
  sql: SqlClient,
  shopId: number,
  options: { customers: number; asOf: Date; meanDailyRate: number; seed: number },
): Promise<void> {
  await insertCustomers(
    sql,
    shopId,
    Array.from({ length: options.customers }, (_, i) => BigInt(i + 1)),
  );
  await sql.query(
    `UPDATE customer SET tags = CASE WHEN id % 7 = 0 THEN '{vip}'::text[] ELSE '{}' END,
       email_marketing = CASE WHEN id % 3 = 0 THEN 'subscribed' ELSE 'not_subscribed' END
     WHERE shop_id = $1`,
    [shopId],
  );
  const orders = [
    ...generateOrderHistories({
      customers: options.customers,
      asOf: options.asOf,
      spanDays: 600,
      meanDailyRate: options.meanDailyRate,
      products: 10,
      seed: options.seed,
    }),
  ].flat();
  await insertOrders(sql, shopId, orders);
  await recomputeMetricsAndSegments(sql, shopId, { now: options.asOf });
}

/** Every live customer of the shop as the in-memory evaluator sees them, by customer id. */
export async function customerRecords(
  sql: SqlQueryable,
  shopId: number,
): Promise<Map<string, CustomerRecord>> {
  const { rows } = await sql.query<Record<string, unknown>>(
    `SELECT c.id::text AS customer_key, c.*, m.*
     FROM customer c LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
     WHERE c.shop_id = $1 AND c.deleted_at IS NULL`,
    [shopId],
  );
  return new Map(rows.map((row) => [String(row.customer_key), customerRecord(row)]));
}
