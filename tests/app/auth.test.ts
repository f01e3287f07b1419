import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDatabase } from "~/db.server";
import { mockShopifyApi, type ShopifyApiMock } from "../helpers/shopify-api-mock";
import { APP_URL, TEST_SHOP, sessionToken } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader as dashboardLoader } from "~/routes/app._index";

await migratedTestDatabase();

let shopifyApi: ShopifyApiMock;

beforeEach(async () => {
  await truncateAppTables();
  shopifyApi = mockShopifyApi();
});

afterEach(() => shopifyApi.restore());

const loaderArgs = (request: Request) => ({ request, params: {}, context: {} });

describe("embedded admin authentication", () => {
  it("exchanges a valid session token for an offline token, stores the session and installs the shop", async () => {
    const request = new Request(`${APP_URL}/app`, {
      headers: { Authorization: `Bearer ${await sessionToken()}` },
    });
    const data = await dashboardLoader(loaderArgs(request));
    expect(data.overview).toEqual({ customers: 0, orders: 0, products: 0, lastWebhookAt: null });

    expect(shopifyApi.tokenRequests).toHaveLength(1);
    expect(shopifyApi.tokenRequests[0]).toMatchObject({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      client_id: process.env.SHOPIFY_API_KEY,
    });
    const { prisma } = getDatabase();
    const session = await prisma.session.findUnique({ where: { id: `offline_${TEST_SHOP}` } });
    expect(session?.accessToken).toBe("shpat_exchanged_token_1");
    const shop = await prisma.shop.findUnique({ where: { domain: TEST_SHOP } });
    expect(shop).toMatchObject({
      state: "installed",
      scopes: "read_customers,write_customers",
      currency: "TRY",
      ianaTimezone: "Europe/Istanbul",
    });
    // The first install queues the history backfill, one job per resource.
    const jobs = await prisma.syncJob.findMany({
      where: { shopId: shop?.id },
      orderBy: { id: "asc" },
    });
    expect(jobs.map((job) => job.resource)).toEqual([
      "customers",
      "products",
      "collections",
      "orders",
    ]);
  });

  it("rejects a session token signed with the wrong secret and stores nothing", async () => {
    const request = new Request(`${APP_URL}/app`, {
      headers: { Authorization: `Bearer ${await sessionToken(TEST_SHOP, "not-the-secret")}` },
    });
    const outcome = await dashboardLoader(loaderArgs(request)).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(401);
    expect(shopifyApi.tokenRequests).toHaveLength(0);
    expect(await getDatabase().prisma.session.count()).toBe(0);
  });

  it("sends a document request without a shop to the login page", async () => {
    const outcome = await dashboardLoader(loaderArgs(new Request(`${APP_URL}/app`))).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(302);
    expect((outcome as Response).headers.get("Location")).toContain("/auth/login");
  });

  describe("user agents isbot flags", () => {
    const HEADLESS_CHROME =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/141.0.0.0 Safari/537.36";
    const statusOf = (request: Request) =>
      dashboardLoader(loaderArgs(request)).then(
        () => 200,
        (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
      );

    it("load admin pages in headless Chromium: its session token decides, not its name", async () => {
      // GIVEN headless Chromium inside the admin: a fetch with App Bridge's bearer token
      const fetched = new Request(`${APP_URL}/app`, {
        headers: { Authorization: `Bearer ${await sessionToken()}`, "User-Agent": HEADLESS_CHROME },
      });
      // and the iframe's document request with the admin's id_token
      const host = Buffer.from(`admin.shopify.com/store/${TEST_SHOP.split(".")[0]}`).toString(
        "base64url",
      );
      const query = new URLSearchParams({
        embedded: "1",
        shop: TEST_SHOP,
        host,
        id_token: await sessionToken(),
      });
      const document = new Request(`${APP_URL}/app?${query}`, {
        headers: { "User-Agent": HEADLESS_CHROME },
      });
      // THEN both load, as in a desktop browser
      expect(await statusOf(fetched)).toBe(200);
      expect(await statusOf(document)).toBe(200);
    });

    it("still turn away a crawler without a session token, as the library and template do", async () => {
      const crawler = new Request(`${APP_URL}/app?shop=${TEST_SHOP}`, {
        headers: { "User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" },
      });
      expect(await statusOf(crawler)).toBe(410);
      const headlessWithForgedToken = new Request(`${APP_URL}/app`, {
        headers: {
          Authorization: `Bearer ${await sessionToken(TEST_SHOP, "not-the-secret")}`,
          "User-Agent": HEADLESS_CHROME,
        },
      });
      expect(await statusOf(headlessWithForgedToken)).toBe(401);
      expect(shopifyApi.tokenRequests).toHaveLength(0);
    });
  });
});
