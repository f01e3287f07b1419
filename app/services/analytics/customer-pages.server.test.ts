import { beforeAll, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { customerListQuerySchema, listCustomers, PAGE_SIZE } from "./customer-list.server";
import { getCustomerProfile } from "./customer-profile.server";
import { recomputeShopMetrics } from "./recompute.server";
import { insertCustomers, insertOrders, type TestOrder } from "./testing/order-rows";

const { sql, prisma } = await migratedTestDatabase();
const AS_OF = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;
let shopId: number;

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "pages.myshopify.com" } })).id;
  const ids = Array.from({ length: 120 }, (_, i) => BigInt(i + 1));
  await insertCustomers(sql, shopId, ids);
  await sql.query(
    `UPDATE customer SET first_name = 'Buyer', last_name = id::text, email = 'buyer' || id || '@example.com'
     WHERE shop_id = $1`,
    [shopId],
  );
  await sql.query(
    `UPDATE customer SET first_name = 'Ada', last_name = '100%_Lovelace', tags = '{vip}',
       email_marketing = 'subscribed' WHERE shop_id = $1 AND id = 7`,
    [shopId],
  );
  // Customer n spends n × 10 over (n mod 4) + 1 orders; customer 7 has a detailed history.
  const orders: TestOrder[] = ids
    .filter((id) => id !== 7n && id <= 110n)
    .flatMap((id) =>
      Array.from({ length: Number(id % 4n) + 1 }, (_, k) => ({
        id: id * 10n + BigInt(k),
        customerId: id,
        processedAt: new Date(AS_OF.getTime() - (Number(id) * 3 + k * 40) * DAY),
        total: (Number(id) * 10) / (Number(id % 4n) + 1),
      })),
    );
  orders.push(
    {
      id: 71n,
      customerId: 7n,
      processedAt: new Date("2026-03-01T12:00:00Z"),
      total: 100,
      lines: [[7n, 1]],
    },
    {
      id: 72n,
      customerId: 7n,
      processedAt: new Date("2026-04-01T12:00:00Z"),
      total: 50,
      refunded: 20,
      lines: [[8n, 3]],
    },
    {
      id: 73n,
      customerId: 7n,
      processedAt: new Date("2026-05-01T12:00:00Z"),
      total: 30,
      cancelled: true,
      lines: [[9n, 9]],
    },
  );
  await insertOrders(sql, shopId, orders);
  await sql.query(
    `INSERT INTO product (shop_id, id, title, handle, status, created_at, shopify_updated_at)
     VALUES ($1, 8, 'Linen apron', 'linen-apron', 'active', now(), now())`,
    [shopId],
  );
  await recomputeShopMetrics(sql, shopId, { now: AS_OF });
});

const list = (query: Record<string, string>) =>
  listCustomers(sql, shopId, customerListQuerySchema.parse(query));

describe("customers list", () => {
  it("pages through every customer in the chosen order", async () => {
    const first = await list({ sort: "net_revenue", direction: "desc" });
    expect(first.total).toBe(120);
    expect(first.rows).toHaveLength(PAGE_SIZE);
    expect(first.hasNext).toBe(true);
    const revenues = first.rows.map((row) => row.netRevenue);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    expect(first.rows[0]?.customerId).toBe("110");
    expect(first.rows[0]?.netRevenue).toBeCloseTo(1100, 1);
    const third = await list({ sort: "net_revenue", direction: "desc", page: "3" });
    expect(third.rows).toHaveLength(20);
    expect(third.hasNext).toBe(false);
    const seen = new Set(
      [...first.rows, ...(await list({ sort: "net_revenue", page: "2" })).rows, ...third.rows].map(
        (r) => r.customerId,
      ),
    );
    expect(seen.size).toBe(120);
  });

  it("filters by stage and segment and searches names literally", async () => {
    const prospects = await list({ stage: "prospect" });
    expect(prospects.total).toBe(10);
    expect(prospects.rows.every((row) => row.lifecycleStage === "prospect")).toBe(true);
    const champions = await list({ segment: "champions" });
    expect(champions.rows.every((row) => row.rfmSegment === "champions")).toBe(true);

    expect((await list({ q: "100%_love" })).rows.map((row) => row.customerId)).toEqual(["7"]);
    // % and _ are literal: "1%" must not match every name containing a 1.
    expect((await list({ q: "r 1%" })).total).toBe(0);
    expect((await list({ q: "buyer10@" })).rows.map((row) => row.customerId)).toEqual(["10"]);
  });

  it("ignores parameters it does not know instead of failing", async () => {
    const page = await list({ sort: "email; DROP TABLE customer", stage: "nope", page: "-3" });
    expect(page.query).toMatchObject({ sort: "predicted_clv", stage: undefined, page: 1 });
    expect(page.total).toBe(120);
  });
});

describe("customer profile", () => {
  it("shows identity, consent, metrics, favourites, timeline and stage history", async () => {
    const profile = await getCustomerProfile(sql, shopId, 7n);
    expect(profile).toMatchObject({
      name: "Ada 100%_Lovelace",
      tags: ["vip"],
      emailMarketing: "subscribed",
      // 61 days of silence against a shop cadence of about 40 days: at risk.
      metrics: { ordersCount: 2, netRevenue: 130, lifecycleStage: "at_risk" },
      // 3 units of the apron beat 1 of product 7; the cancelled order's 9 units do not count.
      favouriteProducts: [
        { title: "Linen apron", units: 3 },
        { title: "Item", units: 1 },
      ],
      stageHistory: [{ from: null, to: "at_risk" }],
    });
    expect(profile?.orders.map((order) => [order.name, order.cancelled])).toEqual([
      ["#73", true],
      ["#72", false],
      ["#71", false],
    ]);
    expect(profile?.metrics).toMatchObject({ ordersCount: 2, daysSinceLastOrder: 61 });
    expect(profile?.metrics?.probAlive).toBeGreaterThan(0);
    // Due after the latest order (1 Apr) by their usual gap; the days since it count as overdue.
    const due = Date.parse(profile?.metrics?.nextOrderDueAt ?? "");
    expect(due).toBeGreaterThan(Date.parse("2026-04-01T12:00:00Z"));
    const daysSinceDue = (Date.now() - due) / DAY;
    expect(profile?.metrics?.daysOverdue).toBe(daysSinceDue > 0 ? Math.floor(daysSinceDue) : null);
    expect(["fitted", "pooled"]).toContain(profile?.modelBasis);
  });

  it("explains a customer without purchases and returns nothing for an unknown id", async () => {
    const prospect = await getCustomerProfile(sql, shopId, 115n);
    expect(prospect?.metrics?.lifecycleStage).toBe("prospect");
    expect(prospect?.metrics?.ordersCount ?? 0).toBe(0);
    expect(await getCustomerProfile(sql, shopId, 999_999n)).toBeNull();
  });
});
