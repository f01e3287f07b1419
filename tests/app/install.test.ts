import { Session } from "@shopify/shopify-api";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getDatabase } from "~/db.server";
import { mockShopifyApi, type ShopifyApiMock } from "../helpers/shopify-api-mock";
import { APP_URL, sessionToken, TEST_SHOP, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader as dashboardLoader } from "~/routes/app._index";
import { appSessionStorage } from "~/services/shopify/session-storage.server";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";

await migratedTestDatabase();

let shopifyApi: ShopifyApiMock;

beforeEach(async () => {
  await truncateAppTables();
  // Sessions a previous test left in the process's lookup memory are gone with its tables.
  appSessionStorage().forgetShop(TEST_SHOP);
});

afterEach(() => shopifyApi.restore());

/**
 * The merchant opens the embedded app: a request with a session token (App Bridge gives every
 * request of a page load the same one).
 */
async function openApp(token?: string): Promise<number> {
  const request = new Request(`${APP_URL}/app`, {
    headers: { Authorization: `Bearer ${token ?? (await sessionToken())}` },
  });
  return dashboardLoader({ request, params: {}, context: {} }).then(
    () => 200,
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
  );
}

describe("install", () => {
  it("ten parallel loaders on the first open all answer 200, with one backfill queued", async () => {
    // GIVEN a shop that never installed, and a Shopify that answers the shop query slowly
    shopifyApi = mockShopifyApi({ graphqlDelayMs: 200 });
    // WHEN the admin's first page load fires ten loaders at once
    const token = await sessionToken();
    const statuses = await Promise.all(Array.from({ length: 10 }, () => openApp(token)));
    // THEN every one answers, and the shop is installed once with one backfill
    expect(statuses).toEqual(Array(10).fill(200));
    const { prisma } = getDatabase();
    const shops = await prisma.shop.findMany({ where: { domain: TEST_SHOP } });
    expect(shops).toHaveLength(1);
    expect(shops[0]?.state).toBe("installed");
    const jobs = await prisma.syncJob.findMany({
      where: { shopId: shops[0]?.id, kind: "backfill" },
    });
    expect(jobs.map((job) => job.resource).sort()).toEqual([
      "collections",
      "customers",
      "orders",
      "products",
    ]);
  });

  it("an install interrupted after the token was stored is completed by the next loaders", async () => {
    shopifyApi = mockShopifyApi();
    // GIVEN the offline session stored, but the process died before recording the install
    await appSessionStorage().storeSession(
      new Session({
        id: `offline_${TEST_SHOP}`,
        shop: TEST_SHOP,
        state: "",
        isOnline: false,
        accessToken: "shpat_stored_before_the_crash",
        scope: "read_customers,write_customers",
        expires: new Date(Date.now() + 3600_000),
      }),
    );
    // WHEN the merchant opens the app (ten loaders at once)
    const token = await sessionToken();
    const statuses = await Promise.all(Array.from({ length: 10 }, () => openApp(token)));
    // THEN every loader answers, and the install and its backfill are recorded once
    expect(statuses).toEqual(Array(10).fill(200));
    const { prisma } = getDatabase();
    expect(await prisma.shop.count({ where: { domain: TEST_SHOP, state: "installed" } })).toBe(1);
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const jobs = await prisma.syncJob.findMany({ where: { shopId, kind: "backfill" } });
    expect(jobs.map((job) => job.resource).sort()).toEqual([
      "collections",
      "customers",
      "orders",
      "products",
    ]);
  });

  it("a reinstall seconds after the uninstall webhook exchanges a new token and answers 200", async () => {
    shopifyApi = mockShopifyApi();
    // GIVEN an installed shop whose session the routes have just loaded (and remember)
    expect(await openApp()).toBe(200);
    expect(await openApp()).toBe(200);
    expect(shopifyApi.tokenRequests).toHaveLength(1);
    // WHEN the uninstall webhook reaches a second copy of the app's modules (as when the
    // webhook front is loaded apart from the Remix build), and the merchant reinstalls at once
    vi.resetModules();
    const uninstalled = await receiveWebhook(
      webhookRequest({ path: "/webhooks/app/uninstalled", topic: "app/uninstalled", body: "{}" }),
      "/webhooks/app/uninstalled",
    );
    expect(uninstalled.status).toBe(200);
    // THEN the routes do not reuse the revoked session: a new token, the shop installed again
    expect(await openApp()).toBe(200);
    expect(shopifyApi.tokenRequests).toHaveLength(2);
    const shop = await getDatabase().prisma.shop.findUnique({ where: { domain: TEST_SHOP } });
    expect(shop?.state).toBe("installed");
  });
});
