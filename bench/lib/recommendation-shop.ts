/**
 * A generated shop for the benchmarks that serve recommendations (the app proxy, branded
 * emails): `products` products (every 25th sold out, so the merchant rules have something to
 * filter), a year of order histories for `customers` customers, and a lifecycle stage each.
 * Imports no database module, so a bench can point the app's database at its scratch one first.
 */
import { generateOrderHistories } from "../../app/services/analytics/testing/bgnbd-orders";
import { insertOrders, type TestOrder } from "../../app/services/analytics/testing/order-rows";
import { insertProducts } from "../../app/services/recommendations/testing/catalogue-rows";
import type { SqlClient } from "../../app/lib/database-adapter.server";

export async function seedRecommendationBenchShop(
  sql: SqlClient,
  shopId: number,
  products: number,
  customers: number,
): Promise<void> {
  await insertProducts(
    sql,
    shopId,
    Array.from({ length: products }, (_, n) => ({
      id: BigInt(n + 1),
      price: "19.9000",
      inStock: n % 25 !== 0,
    })),
  );
  let batch: TestOrder[] = [];
  for (const orders of generateOrderHistories({
    customers,
    asOf: new Date(),
    spanDays: 365,
    meanDailyRate: 0.02,
    products,
    seed: 11,
  })) {
    batch.push(...orders);
    if (batch.length >= 2000) {
      await insertOrders(sql, shopId, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insertOrders(sql, shopId, batch);
  await sql.query(
    `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue,
       lifecycle_stage, computed_at)
     SELECT $1, c, 1, 10,
            (ARRAY['new','active','loyal','at_risk','lapsing','lost'])[1 + c % 6], now()
     FROM generate_series(1, $2::int) AS c`,
    [shopId, customers],
  );
}
