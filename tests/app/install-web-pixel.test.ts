import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { loader as dashboardLoader } from "~/routes/app._index";
import { pixelShopKey } from "~/services/behaviour/pixel-shop-key.server";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { appSessionStorage } from "~/services/shopify/session-storage.server";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { startDevStoreServer, type DevStoreServer } from "../devstore/server";
import { rerouteShopToDevStore } from "../devstore/shopify-reroute";
import { APP_URL, sessionToken, TEST_SHOP, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// The install as Shopify admin drives it: the embedded app's first request carries a signed
// session token, the library exchanges it at the simulated store for an offline token, and the
// install turns the web pixel on through the store's Admin API (webPixelCreate).
await migratedTestDatabase();

const app = {
  apiKey: process.env.SHOPIFY_API_KEY ?? "",
  secret: process.env.SHOPIFY_API_SECRET ?? "",
  scopes: "read_customers,write_customers,write_pixels,read_customer_events",
};
let server: DevStoreServer;
let restoreNetwork: () => void;

beforeAll(async () => {
  server = await startDevStoreServer({
    data: storeDataWithProducts([10n], TEST_SHOP),
    app,
    appUrl: APP_URL,
    sendWebhook: async () => new Response(null, { status: 200 }),
  });
  restoreNetwork = rerouteShopToDevStore(TEST_SHOP, server.url);
});

afterAll(async () => {
  restoreNetwork();
  await server.close();
});

beforeEach(async () => {
  await truncateAppTables();
  appSessionStorage().forgetShop(TEST_SHOP);
});

afterEach(() => vi.restoreAllMocks());

/** The merchant opens the embedded app (a request with a fresh session token). */
async function openApp(): Promise<number> {
  const request = new Request(`${APP_URL}/app`, {
    headers: { Authorization: `Bearer ${await sessionToken()}` },
  });
  return dashboardLoader({ request, params: {}, context: {} }).then(
    () => 200,
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
  );
}

async function uninstall() {
  const answer = await receiveWebhook(
    webhookRequest({ path: "/webhooks/app/uninstalled", topic: "app/uninstalled", body: "{}" }),
    "/webhooks/app/uninstalled",
  );
  expect(answer.status).toBe(200);
}

describe("the web pixel on install", () => {
  it("the first open creates the pixel, pointed at the app's ingest with the shop's key", async () => {
    // GIVEN a store where the app has no pixel yet
    expect(server.store.webPixel.settings).toBeNull();
    // WHEN the merchant opens the app for the first time
    expect(await openApp()).toBe(200);
    // THEN the store runs the app's pixel with its settings
    expect(server.store.webPixel.settings).toEqual({
      ingestUrl: `${APP_URL}/pixel/events`,
      shop: TEST_SHOP,
      shopKey: pixelShopKey(app.secret, TEST_SHOP),
    });
  });

  it("authenticating again (a reinstall, a new token) keeps the one pixel as it was", async () => {
    // GIVEN an install whose pixel is on
    expect(await openApp()).toBe(200);
    const pixelBefore = server.store.webPixel.settings;
    const active = vi.spyOn(logger, "info");
    // WHEN the app is uninstalled and installed again
    await uninstall();
    expect(await openApp()).toBe(200);
    // THEN the same pixel stays as it was: no second one, no error
    const logged = active.mock.calls.filter(([, message]) => message === "web pixel active");
    expect(logged).toEqual([
      [expect.objectContaining({ shop: TEST_SHOP, outcome: "unchanged" }), "web pixel active"],
    ]);
    expect(server.store.webPixel.settings).toEqual(pixelBefore);
  });

  it("a pixel Shopify refuses is logged and the install still completes", async () => {
    // GIVEN a store whose deployed pixel declares other settings than the app sends
    const refusing = await startDevStoreServer({
      data: storeDataWithProducts([10n], TEST_SHOP),
      app,
      appUrl: APP_URL,
      sendWebhook: async () => new Response(null, { status: 200 }),
      pixelExtension: { handle: "rekindle-pixel", settingKeys: ["accountID"] },
    });
    const restore = rerouteShopToDevStore(TEST_SHOP, refusing.url);
    const warned = vi.spyOn(logger, "warn");
    try {
      // WHEN the merchant opens the app
      expect(await openApp()).toBe(200);
    } finally {
      restore();
      await refusing.close();
    }
    // THEN the app is installed, without a pixel, and the refusal is in the log
    const shop = await getDatabase().prisma.shop.findUnique({ where: { domain: TEST_SHOP } });
    expect(shop?.state).toBe("installed");
    expect(refusing.store.webPixel.settings).toBeNull();
    expect(warned).toHaveBeenCalledWith(
      expect.objectContaining({
        shop: TEST_SHOP,
        err: expect.stringContaining("webPixelCreate failed"),
      }),
      "could not turn the web pixel on",
    );
  });
});
