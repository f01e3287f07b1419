import { beforeAll, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { recommendationReport } from "./report.server";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

async function event(
  requestId: string,
  type: string,
  context: string,
  productId = "",
  customerId: number | null = null,
  at = ago(48),
) {
  await sql.query(
    `INSERT INTO recommendation_event (shop_id, request_id, type, product_id, block, context, customer_id, created_at)
     VALUES ($1, $2, $3, $4, 'recommendations', $5, $6, ($7::timestamptz AT TIME ZONE 'UTC'))`,
    [shopId, requestId, type, productId, context, customerId, at],
  );
}

async function order(
  id: number,
  customerId: number,
  at: string,
  lines: Array<[number, number, number]>,
) {
  await sql.query(
    `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
       processed_at, created_at, shopify_updated_at)
     VALUES ($1, $2, $3, '#1', 'USD', 0, 0, ($4::timestamptz AT TIME ZONE 'UTC'),
             ($4::timestamptz AT TIME ZONE 'UTC'), ($4::timestamptz AT TIME ZONE 'UTC'))`,
    [shopId, id, customerId, at],
  );
  for (const [index, [productId, quantity, price]] of lines.entries()) {
    await sql.query(
      `INSERT INTO order_line (shop_id, id, order_id, product_id, title, quantity, price)
       VALUES ($1, $2, $3, $4, 'Item', $5, $6)`,
      [shopId, id * 10 + index, id, productId, quantity, price],
    );
  }
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "report.myshopify.com" } })).id;
  await insertCustomers(sql, shopId, [1n, 2n]);
  // Product pages: 4 impressions, 2 clicks (one anonymous, one by customer 1 on product 10).
  for (const id of ["p1", "p2", "p3", "p4"]) await event(id, "impression", "product");
  await event("p1", "click", "product", "10", 1);
  await event("p2", "click", "product", "11", null);
  // Cart: 2 impressions, 1 click by customer 2 on product 20.
  await event("c1", "impression", "cart");
  await event("c2", "impression", "cart");
  await event("c1", "click", "cart", "20", 2);
  // Customer 1 buys the clicked product a day later (counted) and other things (not counted).
  await order(100, 1, ago(24), [
    [10, 2, 15],
    [99, 1, 500],
  ]);
  // Customer 2 bought product 20 before clicking (not counted) and 9 days after (too late).
  await order(200, 2, ago(72), [[20, 1, 40]]);
  await order(201, 2, ago(48 - 9 * 24), [[20, 1, 40]]);
  // Events older than the window are left out.
  await event("old", "impression", "product", "", null, ago(24 * 40));
});

describe("recommendations report", () => {
  it("counts impressions, clicks and revenue the clicking shopper spent on clicked products", async () => {
    expect(await recommendationReport(sql, shopId)).toEqual([
      {
        context: "product",
        impressions: 4,
        clicks: 2,
        ctr: 0.5,
        attributedOrders: 1,
        attributedRevenue: 30,
      },
      {
        context: "cart",
        impressions: 2,
        clicks: 1,
        ctr: 0.5,
        attributedOrders: 0,
        attributedRevenue: 0,
      },
    ]);
  });
});
