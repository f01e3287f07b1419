/**
 * A small shop whose recommendations are known by construction, shared by the recommender and
 * proxy route tests:
 *  - customers 1..6 buy 10 + 20 together (40 days ago); 1..3 also buy 30 (5 days ago);
 *  - 4..6 also buy 10 + 40 (40 is sold out); customer 1 bought 10 + 50 (50 is a draft) and
 *    10 + 60 (60 is a gift card product);
 *  - customer 7 (lapsing) bought 30 twice and 20 once, long ago;
 *  - 70 is a new arrival nobody bought; 80 is old and never bought.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { insertOrders, type TestOrder } from "~/services/analytics/testing/order-rows";
import { insertProducts } from "./catalogue-rows";

export async function seedRecommendationShop(
  sql: SqlQueryable,
  shopId: number,
  now: Date,
): Promise<void> {
  const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
  await insertProducts(sql, shopId, [
    { id: 10n, price: "25.0000", compareAtPrice: "30.0000" },
    { id: 20n, price: "12.5000" },
    { id: 30n, price: "8.0000", compareAtPrice: "8.0000" },
    { id: 40n, inStock: false },
    { id: 50n, status: "draft" },
    { id: 60n, productType: "Gift Card" },
    { id: 70n, createdAt: day(3), imageUrl: null },
    { id: 80n },
  ]);
  const orders: TestOrder[] = [];
  let id = 1000n;
  const buy = (customerId: bigint, ago: number, products: bigint[]) =>
    orders.push({
      id: id++,
      customerId,
      processedAt: day(ago),
      total: 10,
      lines: products.map((product) => [product, 1]),
    });
  for (let c = 1n; c <= 6n; c++) {
    buy(c, 40, [10n, 20n]);
    if (c <= 3n) buy(c, 5, [30n]);
    else buy(c, 20, [10n, 40n]);
  }
  buy(1n, 30, [10n, 50n]);
  buy(1n, 31, [10n, 60n]);
  buy(7n, 200, [30n]);
  buy(7n, 150, [20n]);
  buy(7n, 100, [30n]);
  await insertOrders(sql, shopId, orders);
  await sql.query(
    `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue,
       lifecycle_stage, computed_at)
     VALUES ($1, 7, 3, 30, 'lapsing', now())`,
    [shopId],
  );
}
