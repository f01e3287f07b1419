import { beforeAll, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { COHORT_MONTHS } from "./cohorts.server";
import { getAnalyticsDashboard, getDashboardDetails } from "./dashboard.server";
import { markCustomersDirty } from "./dirty-customers.server";
import { calendarDay } from "./models/customer-summary";
import { recomputeShopMetrics } from "./recompute.server";
import { refreshDirtyCustomers } from "./refresh-dirty.server";
import { generateOrderHistories } from "./testing/bgnbd-orders";
import { insertCustomers, insertOrders, type TestOrder } from "./testing/order-rows";

const { sql, prisma } = await migratedTestDatabase();
const TIME_ZONE = "Europe/Istanbul";
const AS_OF = new Date("2026-06-15T12:00:00Z");
const CUSTOMERS = 300;
let shopId: number;
const orders: TestOrder[] = [];

const isPurchase = (order: TestOrder) =>
  order.customerId !== null &&
  !order.test &&
  !order.cancelled &&
  order.total - (order.refunded ?? 0) > 0 &&
  order.processedAt <= AS_OF;

/** YYYY-MM of an instant in the shop's time zone, by way of its calendar day. */
const monthOf = (at: Date) =>
  new Date(calendarDay(at, TIME_ZONE) * 86_400_000).toISOString().slice(0, 7);
const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));

beforeAll(async () => {
  await truncateAppTables();
  shopId = (
    await prisma.shop.create({ data: { domain: "dash.myshopify.com", ianaTimezone: TIME_ZONE } })
  ).id;
  for (const customerOrders of generateOrderHistories({
    customers: CUSTOMERS,
    asOf: AS_OF,
    spanDays: 500,
    meanDailyRate: 0.03,
    products: 20,
    seed: 5,
  })) {
    orders.push(...customerOrders);
  }
  await insertCustomers(
    sql,
    shopId,
    Array.from({ length: CUSTOMERS }, (_, i) => BigInt(i + 1)),
  );
  await insertOrders(sql, shopId, orders);
  await recomputeShopMetrics(sql, shopId, { now: AS_OF });
});

describe("analytics dashboard", () => {
  it("reports totals, repeat rate and breakdowns that add up to the orders", async () => {
    const dashboard = await getAnalyticsDashboard(sql, shopId);
    const purchases = orders.filter(isPurchase);
    const perCustomer = new Map<bigint, number>();
    for (const order of purchases) {
      const id = order.customerId ?? 0n;
      perCustomer.set(id, (perCustomer.get(id) ?? 0) + 1);
    }
    const repeaters = [...perCustomer.values()].filter((count) => count >= 2).length;
    const revenue = purchases.reduce((sum, o) => sum + o.total - (o.refunded ?? 0), 0);

    expect(dashboard.customers).toBe(CUSTOMERS);
    expect(dashboard.buyers).toBe(perCustomer.size);
    expect(dashboard.repeatBuyers).toBe(repeaters);
    expect(dashboard.repeatPurchaseRate).toBeCloseTo(repeaters / perCustomer.size, 12);
    expect(dashboard.netRevenue).toBeCloseTo(revenue, 2);
    expect(dashboard.predictedRevenue90d).toBeGreaterThan(0);
    for (const breakdown of [dashboard.rfmSegments, dashboard.lifecycleStages]) {
      expect(breakdown.reduce((sum, row) => sum + row.customers, 0)).toBe(CUSTOMERS);
      expect(breakdown.reduce((sum, row) => sum + row.revenue, 0)).toBeCloseTo(revenue, 2);
    }
    // Customers without a purchase have no RFM segment; they are the prospects.
    const prospects = dashboard.lifecycleStages.find((row) => row.key === "prospect");
    expect(dashboard.rfmSegments.find((row) => row.key === "no_orders")?.customers).toBe(
      prospects?.customers,
    );
    expect(dashboard.model?.bgnbd.basis).toBe("fitted");
  });

  it("builds monthly cohorts in the shop's time zone exactly as counted by hand", async () => {
    const details = await getDashboardDetails(sql, shopId);
    const firstMonth = new Map<bigint, string>();
    for (const order of [...orders]
      .filter(isPurchase)
      .sort((a, b) => +a.processedAt - +b.processedAt)) {
      const id = order.customerId ?? 0n;
      if (!firstMonth.has(id)) firstMonth.set(id, monthOf(order.processedAt));
    }
    const expected = new Map<string, Map<number, { customers: Set<bigint>; revenue: number }>>();
    const cutoff = monthIndex(monthOf(AS_OF)) - COHORT_MONTHS;
    for (const order of orders.filter(isPurchase)) {
      const id = order.customerId ?? 0n;
      const cohort = firstMonth.get(id) ?? "";
      if (monthIndex(cohort) <= cutoff) continue;
      const offset = monthIndex(monthOf(order.processedAt)) - monthIndex(cohort);
      const months = expected.get(cohort) ?? new Map();
      const cell = months.get(offset) ?? { customers: new Set<bigint>(), revenue: 0 };
      cell.customers.add(id);
      cell.revenue += order.total - (order.refunded ?? 0);
      months.set(offset, cell);
      expected.set(cohort, months);
    }
    expect(details.cohorts.map((cohort) => cohort.month)).toEqual([...expected.keys()].sort());
    for (const cohort of details.cohorts) {
      const months = expected.get(cohort.month);
      expect(cohort.size).toBe(months?.get(0)?.customers.size);
      expect(cohort.months.map((m) => m.offset)).toEqual(
        [...(months?.keys() ?? [])].sort((a, b) => a - b),
      );
      for (const month of cohort.months) {
        const cell = months?.get(month.offset);
        expect(month.customers).toBe(cell?.customers.size);
        expect(month.revenue).toBeCloseTo(cell?.revenue ?? NaN, 2);
      }
    }
  });

  it("lists win-back candidates by revenue at risk and shows stage movement", async () => {
    const { winBack } = await getDashboardDetails(sql, shopId);
    expect(winBack.length).toBeGreaterThan(0);
    for (const row of winBack) {
      expect(["at_risk", "lapsing"]).toContain(row.lifecycleStage);
      expect(row.revenueAtRisk).toBeCloseTo(row.netRevenue * (1 - row.probAlive), 6);
    }
    const atRisk = winBack.map((row) => row.revenueAtRisk);
    expect(atRisk).toEqual([...atRisk].sort((a, b) => b - a));

    const lost = await sql.query<{ customer_id: string }>(
      `SELECT customer_id::text FROM customer_metrics WHERE shop_id = $1 AND lifecycle_stage = 'lost' LIMIT 1`,
      [shopId],
    );
    const customerId = BigInt(lost.rows[0]?.customer_id ?? "0");
    // The move is dated now (the refresh runs today), so it lands in the last six months.
    await insertOrders(sql, shopId, [
      { id: 9_000_000n, customerId, processedAt: new Date(Date.now() - 60_000), total: 50 },
    ]);
    await markCustomersDirty(sql, shopId, { customerIds: [customerId], orderIds: [] });
    await refreshDirtyCustomers(sql);
    const after = await getAnalyticsDashboard(sql, shopId);
    expect(after.stageMoves).toContainEqual(
      expect.objectContaining({ from: "lost", to: "reactivated", customers: 1 }),
    );
  });
});
