import { beforeAll, describe, expect, it } from "vitest";
import { insertCustomers } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { experimentReport, recommendationReport } from "./report.server";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

interface EventRow {
  requestId: string;
  type: string;
  placement?: string;
  method?: string;
  productId?: string;
  customerId?: number | null;
  at?: string;
  arm?: string | null;
  visitor?: string | null;
}

async function event(row: EventRow) {
  await sql.query(
    `INSERT INTO recommendation_event (shop_id, request_id, type, product_id, block, context,
       customer_id, placement, method, arm, visitor, created_at)
     VALUES ($1, $2, $3, $4, 'recommendations', NULL, $5, $6, $7, $8, $9,
             ($10::timestamptz AT TIME ZONE 'UTC'))`,
    [
      shopId,
      row.requestId,
      row.type,
      row.productId ?? "",
      row.customerId ?? null,
      row.placement ?? "product_page",
      row.method ?? "personalized",
      row.arm ?? null,
      row.visitor ?? null,
      row.at ?? ago(48),
    ],
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

const WINDOW = { days: 30, attributionDays: 7 };

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "report.myshopify.com" } })).id;
  await insertCustomers(sql, shopId, [1n, 2n]);
  // Product pages: 4 impressions, 2 clicks (one anonymous, one by customer 1 on product 10).
  for (const id of ["p1", "p2", "p3", "p4"]) await event({ requestId: id, type: "impression" });
  await event({ requestId: "p1", type: "click", productId: "10", customerId: 1, at: ago(50) });
  await event({ requestId: "p2", type: "click", productId: "11" });
  // Cart: 2 impressions; customer 1 also added product 10 from the cart block, later.
  for (const id of ["c1", "c2"])
    await event({ requestId: id, type: "impression", placement: "cart" });
  await event({
    requestId: "c1",
    type: "add_to_cart",
    placement: "cart",
    productId: "10",
    customerId: 1,
    at: ago(30),
  });
  await event({
    requestId: "c2",
    type: "click",
    placement: "cart",
    productId: "20",
    customerId: 2,
  });
  // Customer 1 buys product 10 a day later: one line, credited once, to the latest event (cart).
  await order(100, 1, ago(24), [
    [10, 2, 15],
    [99, 1, 500],
  ]);
  // Customer 2 bought product 20 before clicking (not counted) and 9 days after (too late).
  await order(200, 2, ago(72), [[20, 1, 40]]);
  await order(201, 2, ago(48 - 9 * 24), [[20, 1, 40]]);
  // Events older than the report's window are left out.
  await event({ requestId: "old", type: "impression", at: ago(24 * 40) });
});

describe("recommendations report", () => {
  it("credits each order line once, to the latest click or add-to-cart on its product", async () => {
    expect(await recommendationReport(sql, shopId, WINDOW)).toEqual([
      {
        placement: "product_page",
        method: "personalized",
        impressions: 4,
        clicks: 2,
        addToCarts: 0,
        ctr: 0.5,
        attributedOrders: 0,
        attributedRevenue: 0,
      },
      {
        placement: "cart",
        method: "personalized",
        impressions: 2,
        clicks: 1,
        addToCarts: 1,
        ctr: 0.5,
        attributedOrders: 1,
        attributedRevenue: 30,
      },
    ]);
  });

  it("uses the merchant's attribution window", async () => {
    // Customer 2's second order came 9 days after the click: inside a 10-day window.
    const rows = await recommendationReport(sql, shopId, { days: 30, attributionDays: 10 });
    expect(rows.find((row) => row.placement === "cart")?.attributedRevenue).toBe(70);
  });
});

describe("a placement's test against bestsellers", () => {
  beforeAll(async () => {
    await truncateAppTables();
    shopId = (await prisma.shop.create({ data: { domain: "test.myshopify.com" } })).id;
    await insertCustomers(sql, shopId, [1n, 2n, 3n]);
    // Ours: 4 visitors, 2 added to cart, customer 1 then bought for 50. Bestsellers: 4
    // visitors, 1 added to cart, nobody bought.
    const seen = async (arm: string, visitor: string, customerId: number | null = null) =>
      event({
        requestId: `${arm}-${visitor}`,
        type: "impression",
        arm,
        visitor,
        customerId,
        method: arm === "ours" ? "personalized" : "bestsellers",
      });
    for (const visitor of ["a1", "a2", "a3"]) await seen("ours", visitor);
    await seen("ours", "c1", 1);
    for (const visitor of ["b1", "b2", "b3", "b4"]) await seen("bestsellers", visitor);
    for (const [arm, visitor, customerId] of [
      ["ours", "c1", 1],
      ["ours", "a2", null],
      ["bestsellers", "b1", null],
    ] as const) {
      await event({
        requestId: `${arm}-${visitor}`,
        type: "add_to_cart",
        productId: "10",
        arm,
        visitor,
        customerId,
        method: arm === "ours" ? "personalized" : "bestsellers",
      });
    }
    await order(300, 1, ago(24), [[10, 1, 50]]);
  });

  it("compares conversion and revenue per visitor of both arms, with intervals", async () => {
    const [result] = await experimentReport(sql, shopId, WINDOW);
    expect(result?.placement).toBe("product_page");
    expect(result?.ours).toEqual({
      visitors: 4,
      converted: 2,
      revenue: 50,
      revenuePerVisitor: 12.5,
    });
    expect(result?.bestsellers).toEqual({
      visitors: 4,
      converted: 1,
      revenue: 0,
      revenuePerVisitor: 0,
    });
    expect(result?.conversion?.difference).toBeCloseTo(0.25, 12);
    expect(result?.conversion?.interval.low).toBeLessThan(0);
    expect(result?.revenuePerVisitor?.difference).toBeCloseTo(12.5, 12);
    // One buyer in four: the interval is wide and includes zero.
    expect(result?.revenuePerVisitor?.low).toBeLessThan(0);
    expect(result?.revenuePerVisitor?.high).toBeGreaterThan(25);
  });
});
