import { beforeEach, describe, expect, it } from "vitest";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import {
  customerBody,
  enqueueWebhook,
  orderBody,
  refundBody,
} from "../../../tests/sync/inbox-helpers";
import { recomputeShopMetrics } from "./recompute.server";
import { refreshDirtyCustomers } from "./refresh-dirty.server";

// From Shopify's webhooks to a customer's metrics through the production path: the inbox
// worker applies the deliveries and marks the customer, the metrics worker rescores them.
const SHOP = "metrics-sync.myshopify.com";
const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-01-15T00:00:00Z");
let shopId: number;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: SHOP, currency: "USD" } })).id;
  await enqueueWebhook(SHOP, "customers/create", customerBody("1", "2026-01-01T00:00:00Z"));
  await drainInbox(sql);
  await recomputeShopMetrics(sql, shopId, { now: NOW });
  // The full recompute covered the new customer; clear the mark the sync left.
  await refreshDirtyCustomers(sql, { now: NOW });
});

async function metrics() {
  const { rows } = await sql.query<{ orders_count: number; net_revenue: string; stage: string }>(
    `SELECT orders_count, net_revenue::text, lifecycle_stage AS stage FROM customer_metrics
     WHERE shop_id = $1 AND customer_id = 1`,
    [shopId],
  );
  return rows[0];
}

/** The marks waiting for a rescoring, and whether a worker holds them. */
async function marks() {
  const { rows } = await sql.query<{ customer_id: string; leased: boolean }>(
    `SELECT customer_id::text, claimed_until IS NOT NULL AS leased FROM metrics_dirty_customer
     ORDER BY customer_id`,
  );
  return rows;
}

describe("webhooks to metrics", () => {
  it("counts an order in the shop's currency, then its refund and its cancellation", async () => {
    expect(await metrics()).toMatchObject({ orders_count: 0, stage: "prospect" });

    // A shopper paying in euros: totals arrive in the shop's currency (USD), which is what counts.
    const order = {
      ...orderBody("100", "2026-01-10T12:00:00Z", {
        customerId: "1",
        lines: [{ id: "1001", productId: "501", quantity: 2, price: "30.00" }],
      }),
      currency: "USD",
      presentment_currency: "EUR",
      total_price_set: {
        shop_money: { amount: "60.00", currency_code: "USD" },
        presentment_money: { amount: "55.20", currency_code: "EUR" },
      },
    };
    await enqueueWebhook(SHOP, "orders/create", order);
    await drainInbox(sql);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(1);
    expect(await metrics()).toMatchObject({
      orders_count: 1,
      net_revenue: "60.0000",
      stage: "new",
    });

    await enqueueWebhook(SHOP, "refunds/create", refundBody("7", "100", "1001", "30.00"));
    await drainInbox(sql);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(1);
    expect(await metrics()).toMatchObject({ orders_count: 1, net_revenue: "30.0000" });

    await enqueueWebhook(SHOP, "orders/cancelled", {
      ...order,
      updated_at: "2026-01-11T12:00:00Z",
      cancelled_at: "2026-01-11T12:00:00Z",
    });
    await drainInbox(sql);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(1);
    expect(await metrics()).toMatchObject({
      orders_count: 0,
      net_revenue: "0.0000",
      stage: "prospect",
    });
  });

  it("ignores guest checkouts and leaves no customer to rescore", async () => {
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("200", "2026-01-10T12:00:00Z", { customerId: null }),
    );
    await drainInbox(sql);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(0);
    expect(await metrics()).toMatchObject({ orders_count: 0 });
  });

  it("rescores an order's customer as the inbox worker applies it, leaving nothing to the job", async () => {
    // GIVEN an order for a customer of a shop with a model
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("300", "2026-01-10T12:00:00Z", { customerId: "1" }),
    );
    // WHEN the inbox worker applies it with its rescoring
    await drainInbox(sql, 500, { now: NOW });
    // THEN the customer's metrics count it already, and no mark waits for the metrics job
    expect(await metrics()).toMatchObject({ orders_count: 1, stage: "new" });
    expect(await marks()).toEqual([]);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(0);
  });

  it("leaves the marks of a shop without a model yet to the metrics job", async () => {
    // GIVEN a shop that was never recomputed
    await prisma.shop.create({ data: { domain: "no-model.myshopify.com", currency: "USD" } });
    await enqueueWebhook(
      "no-model.myshopify.com",
      "customers/create",
      customerBody("9", "2026-01-02T00:00:00Z"),
    );
    // WHEN the inbox worker applies its webhook with its rescoring
    await drainInbox(sql, 500, { now: NOW });
    // THEN the customer is marked and free for the job to claim
    expect(await marks()).toEqual([{ customer_id: "9", leased: false }]);
  });

  it("leaves a customer whose rescoring failed after the commit to the job once the lease ends", async () => {
    // GIVEN the write of the rescoring failing, as when the database goes away after the commit
    const failingWrite: typeof sql = {
      ...sql,
      async query(text, params, options) {
        if (options?.preparedAs?.endsWith("_write")) throw new Error("connection lost");
        return sql.query(text, params, options);
      },
    };
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("301", "2026-01-10T12:00:00Z", { customerId: "1" }),
    );
    // WHEN the inbox worker applies the order
    const drained = await drainInbox(failingWrite, 500, { now: NOW });
    // THEN the order is applied, its customer's mark leased and not rescored yet
    expect(drained).toMatchObject({ applied: 1, dead: 0, failed: 0 });
    expect(await marks()).toEqual([{ customer_id: "1", leased: true }]);
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(0);
    // AND once the lease has run out the metrics job rescores them
    await sql.query(
      `UPDATE metrics_dirty_customer SET claimed_until = now() - interval '1 second'`,
    );
    expect(await refreshDirtyCustomers(sql, { now: NOW })).toBe(1);
    expect(await metrics()).toMatchObject({ orders_count: 1 });
  });

  it("applies webhooks whose rescoring cannot be read, leaving their customers to the job", async () => {
    // GIVEN a shop whose stored time zone the database does not know, so reading a customer's
    // purchases by calendar day fails
    await sql.query(`UPDATE shop SET iana_timezone = 'Mars/Olympus_Mons' WHERE id = $1`, [shopId]);
    await enqueueWebhook(
      SHOP,
      "orders/create",
      orderBody("302", "2026-01-10T12:00:00Z", { customerId: "1" }),
    );
    // WHEN the inbox worker applies the order with its rescoring
    const drained = await drainInbox(sql, 500, { now: NOW });
    // THEN the order is applied all the same, and its customer marked for the metrics job
    expect(drained).toMatchObject({ applied: 1, dead: 0, failed: 0 });
    expect(await marks()).toEqual([{ customer_id: "1", leased: false }]);
  });
});
