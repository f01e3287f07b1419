import type { SqlQueryable } from "../../app/lib/database-adapter.server";
import { generateOrderHistories } from "../../app/services/analytics/testing/bgnbd-orders";
import {
  insertCustomers,
  insertOrders,
  type TestOrder,
} from "../../app/services/analytics/testing/order-rows";

const LOAD_BATCH = 20_000;

/**
 * A shop at merchant scale for the benchmarks: `customers` customers with BG/NBD purchase
 * histories over two years, about `targetOrders` orders (~2 lines each), then ANALYZE.
 */
export async function loadGeneratedShop(
  sql: SqlQueryable,
  options: { domain: string; customers: number; targetOrders: number; asOf: Date },
): Promise<{ shopId: number; loadSeconds: number }> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO shop (domain, iana_timezone, updated_at)
     VALUES ($1, 'America/New_York', now()) RETURNING id`,
    [options.domain],
  );
  const shopId = rows[0]?.id ?? 0;
  const started = performance.now();
  for (let start = 1; start <= options.customers; start += LOAD_BATCH) {
    const count = Math.min(LOAD_BATCH, options.customers - start + 1);
    await insertCustomers(
      sql,
      shopId,
      Array.from({ length: count }, (_, i) => BigInt(start + i)),
    );
  }
  // 730 days and ~5 orders per customer: the rate is tuned so the shop lands near the target.
  let pending: TestOrder[] = [];
  for (const orders of generateOrderHistories({
    customers: options.customers,
    asOf: options.asOf,
    spanDays: 730,
    meanDailyRate: (0.0235 * options.targetOrders) / (options.customers * 5),
    products: 2_000,
    seed: 2026,
  })) {
    pending.push(...orders);
    if (pending.length >= LOAD_BATCH) {
      await insertOrders(sql, shopId, pending);
      pending = [];
    }
  }
  await insertOrders(sql, shopId, pending);
  await sql.exec(`ANALYZE`);
  return { shopId, loadSeconds: (performance.now() - started) / 1000 };
}
