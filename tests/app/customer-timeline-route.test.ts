import { beforeEach, describe, expect, it } from "vitest";
import { timelineEntries } from "~/components/analytics/CustomerTimeline";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import {
  insertPixelEvents,
  insertPixelVisitors,
} from "~/services/behaviour/testing/pixel-event-rows";
import { insertProducts } from "~/services/recommendations/testing/catalogue-rows";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import * as customerPage from "~/routes/app.customers.$id";

const { sql, prisma } = await migratedTestDatabase();
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  const shop = await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } });
  await storeOfflineSession();
  await insertCustomers(sql, shop.id, [5n, 6n]);
  await insertProducts(sql, shop.id, [{ id: 1n, title: "Blue mug" }, { id: 2n }]);
  await insertOrders(sql, shop.id, [
    { id: 900n, customerId: 5n, processedAt: new Date("2026-11-20T10:00:00Z"), total: 30 },
  ]);
  await insertPixelVisitors(sql, shop.id, [{ clientId: "browser-5", customerId: 5n }]);
  await insertPixelEvents(sql, shop.id, [
    // Before signing in (stitched), twice the same day, then signed in after the order.
    {
      eventId: "v1",
      clientId: "browser-5",
      productId: 1n,
      occurredAt: new Date("2026-11-19T09:00:00Z"),
    },
    {
      eventId: "v2",
      clientId: "browser-5",
      productId: 1n,
      occurredAt: new Date("2026-11-19T09:10:00Z"),
    },
    {
      eventId: "v3",
      clientId: "browser-5",
      customerId: 5n,
      productId: 2n,
      occurredAt: new Date("2026-11-25T09:00:00Z"),
    },
  ]);
});

const load = async (id: string) => {
  const request = await embeddedAdminRequest(`/app/customers/${id}`);
  return customerPage.loader({ request, params: { id }, context: {} });
};

describe("customer page timeline", () => {
  it("GIVEN views before and after an order WHEN the profile loads THEN the timeline interleaves them newest first", async () => {
    const data = await load("5");
    expect(data.views).toEqual([
      { productId: "2", title: "Product 2", viewedAt: "2026-11-25T09:00:00Z", views: 1 },
      { productId: "1", title: "Blue mug", viewedAt: "2026-11-19T09:10:00Z", views: 2 },
    ]);
    const entries = timelineEntries(data.profile.orders, data.views);
    expect(entries.map((entry) => entry.kind)).toEqual(["view", "order", "view"]);
  });

  it("GIVEN a customer who never browsed with the pixel WHEN the profile loads THEN no views (the page says so)", async () => {
    const data = await load("6");
    expect(data.views).toEqual([]);
    expect(timelineEntries(data.profile.orders, data.views)).toEqual([]);
  });
});
