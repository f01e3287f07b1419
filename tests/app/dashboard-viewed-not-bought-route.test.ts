import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { insertPixelEvents } from "~/services/behaviour/testing/pixel-event-rows";
import { insertProducts } from "~/services/recommendations/testing/catalogue-rows";
import { saveSegment } from "~/services/segments/segment-store.server";
import { loader as homeLoader } from "~/routes/app._index";
import { startDevStoreServer, type DevStoreServer } from "../devstore/server";
import { rerouteShopToDevStore } from "../devstore/shopify-reroute";
import { exchangeForOfflineToken, storeOfflineSession } from "../helpers/offline-session";
import {
  APP_URL,
  TEST_SHOP,
  embeddedAdminRequest,
  sessionToken,
} from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The dashboard's "viewed but not bought" behind real embedded-admin authentication (the home
// page also reads the theme for its setup guide: the simulated store answers).
const { sql, prisma } = await migratedTestDatabase();

const app = {
  apiKey: process.env.SHOPIFY_API_KEY ?? "",
  secret: process.env.SHOPIFY_API_SECRET ?? "",
  scopes: "read_customers,write_customers,read_orders,read_products,read_themes",
};
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
let server: DevStoreServer;
let restoreNetwork: () => void;
let accessToken = "";
let segmentId = "";

beforeAll(async () => {
  server = await startDevStoreServer({
    data: storeDataWithProducts([10n], TEST_SHOP),
    app,
    appUrl: APP_URL,
    sendWebhook: async () => new Response(null, { status: 200 }),
  });
  restoreNetwork = rerouteShopToDevStore(TEST_SHOP, server.url);
  accessToken = await exchangeForOfflineToken(server.tokens, app, await sessionToken());
});

afterAll(async () => {
  restoreNetwork();
  await server.close();
});

beforeEach(async () => {
  await truncateAppTables();
  const shop = await prisma.shop.create({ data: { domain: TEST_SHOP, scopes: app.scopes } });
  await storeOfflineSession({ scope: app.scopes, accessToken });
  await insertProducts(sql, shop.id, [
    { id: 1n, title: "Blue mug" },
    { id: 2n, title: "Teapot" },
  ]);
  await insertCustomers(sql, shop.id, [5n, 6n]);
  await insertPixelEvents(sql, shop.id, [
    { eventId: "a", clientId: "c5", customerId: 5n, productId: 1n, occurredAt: daysAgo(2) },
    { eventId: "b", clientId: "c5", customerId: 5n, productId: 2n, occurredAt: daysAgo(2) },
    { eventId: "c", clientId: "c6", customerId: 6n, productId: 1n, occurredAt: daysAgo(3) },
    { eventId: "d", clientId: "c6", customerId: 6n, productId: 1n, occurredAt: daysAgo(1) },
  ]);
  // Customer 5 bought the teapot after viewing it.
  await insertOrders(sql, shop.id, [
    { id: 50n, customerId: 5n, processedAt: daysAgo(1), total: 20, lines: [[2n, 1]] },
  ]);
  const segment = await saveSegment(sql, shop.id, { name: "Just six", query: "orders_count = 0" });
  segmentId = segment.id.toString();
  await sql.query(
    `INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
     VALUES ($1, $2, 6, now())`,
    [shop.id, segmentId],
  );
});

const home = async (query = "") =>
  homeLoader({ request: await embeddedAdminRequest(`/app${query}`), params: {}, context: {} });

describe("dashboard: viewed but not bought", () => {
  it("GIVEN no segment chosen WHEN the dashboard loads THEN all customers' unbought views, with the shop's segments to choose from", async () => {
    const { viewed } = await home();
    expect(viewed.segmentId).toBe("");
    expect(viewed.segments).toEqual([{ id: segmentId, name: "Just six" }]);
    expect(await viewed.products).toEqual([
      { productId: "1", title: "Blue mug", views: 3, viewers: 2 },
    ]);
  });

  it("GIVEN a chosen segment WHEN the dashboard loads THEN only its members' views count; an unknown id shows all customers", async () => {
    const chosen = await home(`?viewedSegment=${segmentId}`);
    expect(chosen.viewed.segmentId).toBe(segmentId);
    expect(await chosen.viewed.products).toEqual([
      { productId: "1", title: "Blue mug", views: 2, viewers: 1 },
    ]);
    const unknown = await home("?viewedSegment=999999");
    expect(unknown.viewed.segmentId).toBe("");
    expect((await unknown.viewed.products)[0]?.viewers).toBe(2);
  });
});
