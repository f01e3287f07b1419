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
});
