import { beforeEach, describe, expect, it } from "vitest";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import * as syncPage from "~/routes/app.sync";
import { getShopOverview } from "~/services/shop-overview.server";
import { renderAdminDocument } from "../helpers/admin-document";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The Sync page counts what the dashboard counts: orders, not the lines of Shopify's export
// (which holds each order's lines and refunds as lines of their own).
const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession();
});

describe("/app/sync", () => {
  it("shows the orders in Rekindle, as many as the dashboard, never the export's line count", async () => {
    // GIVEN three orders imported by a full sync whose export had 11 lines (lines and refunds)
    await insertCustomers(sql, shopId, [1n]);
    const at = new Date("2026-11-01T00:00:00Z");
    await insertOrders(
      sql,
      shopId,
      [71n, 72n, 73n].map((id) => ({ id, customerId: 1n, processedAt: at, total: 10 })),
    );
    await sql.query(
      `INSERT INTO sync_job (shop_id, kind, resource, status, object_count, lines_committed, finished_at)
       VALUES ($1, 'backfill', 'orders', 'done', 11, 11, now())`,
      [shopId],
    );
    // WHEN the Sync page is rendered
    const answer = await renderAdminDocument(await embeddedAdminRequest("/app/sync"), {
      id: "routes/app.sync",
      path: "sync",
      module: syncPage,
    });
    expect(answer.status).toBe(200);
    const html = (await answer.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    // THEN its orders row says 3 orders are in Rekindle, the dashboard's figure, and not 11
    const ordersRow = html.match(/id="sync-job-orders"[\s\S]*?<\/p>/)?.[0] ?? "";
    expect(ordersRow).toContain("Orders");
    expect(ordersRow).toContain("3 in Rekindle now");
    expect(ordersRow).not.toMatch(/\b11\b/);
    expect((await getShopOverview(TEST_SHOP)).orders).toBe(3);
  });
});
