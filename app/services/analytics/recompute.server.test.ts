import { beforeEach, describe, expect, it } from "vitest";
import type { SqlClient } from "~/lib/database-adapter.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { markCustomersDirty } from "./dirty-customers.server";
import { summarizeCustomer, type Order } from "./models/customer-summary";
import { recomputeShopMetrics } from "./recompute.server";
import { refreshDirtyCustomers } from "./refresh-dirty.server";
import { shopsDueForRecompute } from "./recompute-schedule.server";
import { scoreCustomer, scoringContext } from "./score-customer";
import { DEFAULT_ANALYTICS_SETTINGS } from "./settings";
import {
  loadShopAnalytics,
  requestFullRecompute,
  saveAnalyticsSettings,
} from "./shop-analytics-store.server";
import { fitShopModel } from "./shop-model";
import { generateOrderHistories } from "./testing/bgnbd-orders";
import { insertCustomers, insertOrders, type TestOrder } from "./testing/order-rows";

const { sql, prisma } = await migratedTestDatabase();
const TIME_ZONE = "America/New_York";
const AS_OF = new Date("2026-06-01T15:00:00Z");
const DAY = 86_400_000;
let shopId: number;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (
    await prisma.shop.create({ data: { domain: "metrics.myshopify.com", ianaTimezone: TIME_ZONE } })
  ).id;
});

interface MetricsRow {
  customer_id: string;
  orders_count: number;
  net_revenue: string;
  aov: string | null;
  days_since_last_order: number | null;
  avg_days_between_orders: number | null;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  rfm_segment: string | null;
  lifecycle_stage: string;
  prob_alive: number | null;
  expected_orders_90d: number | null;
  predicted_clv: string | null;
}

async function metricsRows(): Promise<Map<string, MetricsRow>> {
  const { rows } = await sql.query<MetricsRow>(
    `SELECT customer_id::text, orders_count, net_revenue::text, aov::text, days_since_last_order,
            avg_days_between_orders, r_score, f_score, m_score,
            rfm_segment, lifecycle_stage, prob_alive, expected_orders_90d, predicted_clv::text
     FROM customer_metrics WHERE shop_id = $1`,
    [shopId],
  );
  return new Map(rows.map((row) => [row.customer_id, row]));
}

function generatedOrders(customers: number, seed: number): TestOrder[] {
  const orders = [
    ...generateOrderHistories({
      customers,
      asOf: AS_OF,
      spanDays: 540,
      meanDailyRate: 0.03,
      products: 5,
      seed,
    }),
  ].flat();
  // Guest checkouts and an order after the as-of moment must not count for anyone.
  const lastId = orders[orders.length - 1]?.id ?? 0n;
  orders.push({ id: lastId + 1n, customerId: null, processedAt: AS_OF, total: 99 });
  orders.push({
    id: lastId + 2n,
    customerId: 1n,
    processedAt: new Date(AS_OF.getTime() + DAY),
    total: 5,
  });
  return orders;
}

/** Customer 1 spent 10 and customer 2 spent 500, one order each; then a full recompute. */
async function recomputeSmallAndLargeSpender(): Promise<void> {
  await insertCustomers(sql, shopId, [1n, 2n]);
  await insertOrders(sql, shopId, [
    { id: 1n, customerId: 1n, processedAt: new Date("2026-05-01T12:00:00Z"), total: 10 },
    { id: 2n, customerId: 2n, processedAt: new Date("2026-05-01T12:00:00Z"), total: 500 },
  ]);
  await recomputeShopMetrics(sql, shopId, { now: AS_OF });
}

describe("full recompute", () => {
  it("stores exactly what the in-memory models compute from the same orders", async () => {
    const customerIds = Array.from({ length: 300 }, (_, i) => BigInt(i + 1));
    const orders = generatedOrders(customerIds.length, 11);
    await insertCustomers(sql, shopId, customerIds);
    await insertOrders(sql, shopId, orders);

    const report = await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    expect(report.customers).toBe(300);

    const summaries = customerIds.map((id) =>
      summarizeCustomer(
        orders
          .filter((order) => order.customerId === id && !order.test)
          .map((order): Order => ({
            processedAt: order.processedAt,
            netAmount: order.total - (order.refunded ?? 0),
            cancelled: order.cancelled ?? false,
          })),
        AS_OF,
        { timeZone: TIME_ZONE },
      ),
    );
    const model = fitShopModel(summaries);
    expect(model.bgnbd.reason).toBe("fitted");
    const context = scoringContext(model, DEFAULT_ANALYTICS_SETTINGS, AS_OF);
    const stored = await metricsRows();
    let buyers = 0;
    customerIds.forEach((id, i) => {
      const summary = summaries[i];
      const row = stored.get(id.toString());
      if (!summary || !row) throw new Error(`customer ${id} missing`);
      const expected = scoreCustomer(summary, null, context);
      expect(row.orders_count).toBe(expected.metrics.ordersCount);
      expect(Number(row.net_revenue)).toBeCloseTo(expected.metrics.netRevenue, 4);
      expect(row.days_since_last_order).toBe(expected.metrics.daysSinceLastOrder);
      expect(row.avg_days_between_orders).toBe(expected.metrics.avgDaysBetweenOrders);
      expect(row.lifecycle_stage).toBe(expected.lifecycleStage);
      expect(row.rfm_segment).toBe(expected.rfm?.segment ?? null);
      expect([row.r_score, row.f_score, row.m_score]).toEqual(
        expected.rfm ? [expected.rfm.r, expected.rfm.f, expected.rfm.m] : [null, null, null],
      );
      if (expected.outlook === null) {
        expect(row.prob_alive).toBeNull();
        expect(row.predicted_clv).toBeNull();
      } else {
        buyers += 1;
        expect(row.prob_alive).toBeCloseTo(expected.outlook.probAlive, 9);
        expect(row.expected_orders_90d).toBeCloseTo(expected.outlook.expectedOrders90d, 9);
        expect(Number(row.predicted_clv)).toBeCloseTo(expected.predictedClv ?? NaN, 3);
      }
    });
    expect(buyers).toBeGreaterThan(250);
  });

  it("counts refunds, cancellations, zero-value, test and guest orders as documented", async () => {
    await insertCustomers(sql, shopId, [1n, 2n]);
    const at = (iso: string) => new Date(iso);
    await insertOrders(sql, shopId, [
      {
        id: 1n,
        customerId: 1n,
        processedAt: at("2026-03-01T15:00:00Z"),
        total: 100,
        lines: [[7n, 1]],
      },
      {
        id: 2n,
        customerId: 1n,
        processedAt: at("2026-04-01T15:00:00Z"),
        total: 50,
        refunded: 20,
        lines: [[8n, 3]],
      },
      {
        id: 3n,
        customerId: 1n,
        processedAt: at("2026-05-01T15:00:00Z"),
        total: 30,
        cancelled: true,
        lines: [[9n, 9]],
      },
      { id: 4n, customerId: 1n, processedAt: at("2026-05-10T15:00:00Z"), total: 0 },
      { id: 5n, customerId: 1n, processedAt: at("2026-05-11T15:00:00Z"), total: 999, test: true },
      { id: 6n, customerId: 1n, processedAt: at("2026-05-12T15:00:00Z"), total: 40, refunded: 40 },
      { id: 7n, customerId: null, processedAt: at("2026-05-20T15:00:00Z"), total: 70 },
    ]);
    await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    const stored = await metricsRows();
    expect(stored.get("1")).toMatchObject({
      orders_count: 2,
      net_revenue: "130.0000",
      aov: "65.0000",
      // Last purchase 1 April (the 12 May order was refunded in full); 31 days to 1 June.
      days_since_last_order: 61,
      avg_days_between_orders: 31,
    });
    expect(stored.get("2")).toMatchObject({
      orders_count: 0,
      net_revenue: "0.0000",
      lifecycle_stage: "prospect",
      rfm_segment: null,
      prob_alive: null,
    });
    expect(stored.size).toBe(2);
  });

  it("never leaves a blank prediction: a tiny shop falls back to the pooled prior", async () => {
    await insertCustomers(sql, shopId, [1n]);
    await insertOrders(sql, shopId, [
      { id: 1n, customerId: 1n, processedAt: new Date("2026-05-01T12:00:00Z"), total: 80 },
    ]);
    const report = await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    expect(report.bgnbdBasis).toBe("pooled_prior (too_few_repeat_customers)");
    const row = (await metricsRows()).get("1");
    expect(row?.prob_alive).toBe(1);
    expect(Number(row?.predicted_clv)).toBeGreaterThan(0);
  });
});

describe("incremental refresh", () => {
  it("rescores a customer marked by the sync, records the stage change and clears the mark", async () => {
    await insertCustomers(sql, shopId, [1n, 2n]);
    await insertOrders(sql, shopId, [
      { id: 1n, customerId: 1n, processedAt: new Date("2025-01-10T12:00:00Z"), total: 40 },
      { id: 2n, customerId: 1n, processedAt: new Date("2025-02-10T12:00:00Z"), total: 60 },
      { id: 3n, customerId: 2n, processedAt: new Date("2026-05-20T12:00:00Z"), total: 25 },
    ]);
    await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    expect((await metricsRows()).get("1")?.lifecycle_stage).toBe("lost");

    await insertOrders(sql, shopId, [
      { id: 4n, customerId: 1n, processedAt: new Date("2026-05-31T12:00:00Z"), total: 90 },
    ]);
    await markCustomersDirty(sql, shopId, { customerIds: [], orderIds: [4n] });
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);

    const row = (await metricsRows()).get("1");
    expect(row).toMatchObject({
      orders_count: 3,
      net_revenue: "190.0000",
      lifecycle_stage: "reactivated",
    });
    const { rows: changes } = await sql.query<{ from_stage: string | null; to_stage: string }>(
      `SELECT from_stage, to_stage FROM customer_stage_change WHERE customer_id = 1 ORDER BY id`,
    );
    expect(changes).toEqual([
      { from_stage: null, to_stage: "lost" },
      { from_stage: "lost", to_stage: "reactivated" },
    ]);
    const { rows: dirty } = await sql.query(`SELECT 1 FROM metrics_dirty_customer`);
    expect(dirty).toHaveLength(0);
  });

  it("scores with the settings saved since its last call, not the ones it read before", async () => {
    await recomputeSmallAndLargeSpender();
    await markCustomersDirty(sql, shopId, { customerIds: [2n], orderIds: [] });
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);
    const before = (await metricsRows()).get("2")?.m_score;

    await saveAnalyticsSettings(sql, shopId, {
      rfmOverrides: { monetary: [1000, 2000, 3000, 4000] },
    });
    await markCustomersDirty(sql, shopId, { customerIds: [2n], orderIds: [] });
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);
    expect(before).not.toBe(1);
    expect((await metricsRows()).get("2")?.m_score).toBe(1);
  });

  it("drops the metrics of a deleted customer and waits for the first full recompute", async () => {
    await insertCustomers(sql, shopId, [1n]);
    await markCustomersDirty(sql, shopId, { customerIds: [1n], orderIds: [] });
    // No model yet: nothing is claimed; the first recompute covers the customer.
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(0);
    await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    expect((await metricsRows()).has("1")).toBe(true);

    await sql.query(`UPDATE customer SET deleted_at = now() WHERE id = 1`);
    await markCustomersDirty(sql, shopId, { customerIds: [1n], orderIds: [] });
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);
    expect((await metricsRows()).has("1")).toBe(false);
  });
});

/** `sql`, running `meanwhile` once, right after the rescoring's claim returns. */
function withWorkAfterClaim(meanwhile: () => Promise<unknown>): SqlClient {
  let done = false;
  return {
    ...sql,
    async query(text, params, options) {
      const result = await sql.query(text, params, options);
      if (!done && options?.preparedAs?.endsWith("_claim")) {
        done = true;
        await meanwhile();
      }
      return result as never;
    },
  };
}

async function marks(): Promise<Array<{ customer_id: string; leased: boolean }>> {
  const { rows } = await sql.query<{ customer_id: string; leased: boolean }>(
    `SELECT customer_id::text, claimed_until IS NOT NULL AS leased FROM metrics_dirty_customer`,
  );
  return rows;
}

describe("incremental refresh racing other writers", () => {
  it("keeps the mark of a customer whose order lands while they are rescored", async () => {
    // GIVEN a modelled shop and customer 1 marked
    await recomputeSmallAndLargeSpender();
    await markCustomersDirty(sql, shopId, { customerIds: [1n], orderIds: [] });
    // WHEN an order of theirs lands and marks them between the claim and the write
    const racing = withWorkAfterClaim(async () => {
      await insertOrders(sql, shopId, [
        { id: 3n, customerId: 1n, processedAt: new Date("2026-05-30T12:00:00Z"), total: 30 },
      ]);
      await markCustomersDirty(sql, shopId, { customerIds: [], orderIds: [3n] });
    });
    expect(await refreshDirtyCustomers(racing, { now: AS_OF })).toBe(1);
    // THEN the mark stays, free for the next pass, which counts the new order
    expect(await marks()).toEqual([{ customer_id: "1", leased: false }]);
    expect((await metricsRows()).get("1")?.orders_count).toBe(1);
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);
    expect((await metricsRows()).get("1")?.orders_count).toBe(2);
    expect(await marks()).toEqual([]);
  });

  it("drops a rescoring when a full recompute rewrote the customer meanwhile, and redoes it", async () => {
    // GIVEN a modelled shop and customer 2 marked
    await recomputeSmallAndLargeSpender();
    await markCustomersDirty(sql, shopId, { customerIds: [2n], orderIds: [] });
    // WHEN a full recompute with tomorrow's model commits between the claim and the write
    const tomorrow = new Date(AS_OF.getTime() + DAY);
    const racing = withWorkAfterClaim(() => recomputeShopMetrics(sql, shopId, { now: tomorrow }));
    // THEN the rescoring writes nothing over it and leaves the mark free
    expect(await refreshDirtyCustomers(racing, { now: AS_OF })).toBe(0);
    const { rows } = await sql.query<{ computed_at: string }>(
      `SELECT to_char(computed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS computed_at
       FROM customer_metrics WHERE customer_id = 2`,
    );
    expect(rows).toEqual([{ computed_at: tomorrow.toISOString() }]);
    expect(await marks()).toEqual([{ customer_id: "2", leased: false }]);
    // AND the next pass rescores the customer
    expect(await refreshDirtyCustomers(sql, { now: tomorrow })).toBe(1);
    expect(await marks()).toEqual([]);
  });

  it("leaves a claimed mark to other workers only when its lease has run out", async () => {
    // GIVEN a modelled shop and customer 1 marked
    await recomputeSmallAndLargeSpender();
    await markCustomersDirty(sql, shopId, { customerIds: [1n], orderIds: [] });
    // WHEN a worker claims it and dies before writing
    await sql.query(
      `UPDATE metrics_dirty_customer SET claimed_until = (now() AT TIME ZONE 'UTC') + interval '1 minute'`,
    );
    // THEN nobody else rescores it until the lease runs out
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(0);
    await sql.query(
      `UPDATE metrics_dirty_customer SET claimed_until = (now() AT TIME ZONE 'UTC') - interval '1 second'`,
    );
    expect(await refreshDirtyCustomers(sql, { now: AS_OF })).toBe(1);
    expect(await marks()).toEqual([]);
  });
});

describe("schedule and settings", () => {
  it("is due when never computed, when requested, and not while a backfill runs", async () => {
    expect(await shopsDueForRecompute(sql)).toEqual([shopId]);
    await recomputeShopMetrics(sql, shopId);
    expect(await shopsDueForRecompute(sql)).toEqual([]);
    await requestFullRecompute(sql, shopId);
    expect(await shopsDueForRecompute(sql)).toEqual([shopId]);
    await sql.query(
      `INSERT INTO sync_job (shop_id, kind, resource, status) VALUES ($1, 'backfill', 'orders', 'running')`,
      [shopId],
    );
    expect(await shopsDueForRecompute(sql)).toEqual([]);
  });

  it("applies the merchant's RFM overrides and rejects invalid settings without writing", async () => {
    await recomputeSmallAndLargeSpender();
    await expect(
      saveAnalyticsSettings(sql, shopId, { rfmOverrides: { monetary: [400, 300, 200, 100] } }),
    ).rejects.toThrow(/fieldErrors.nonDecreasing/);
    expect((await loadShopAnalytics(sql, shopId))?.settings).toEqual(DEFAULT_ANALYTICS_SETTINGS);

    await saveAnalyticsSettings(sql, shopId, { rfmOverrides: { monetary: [5, 20, 100, 1000] } });
    await recomputeShopMetrics(sql, shopId, { now: AS_OF });
    const stored = await metricsRows();
    expect(stored.get("1")?.m_score).toBe(2);
    expect(stored.get("2")?.m_score).toBe(4);
  });
});
