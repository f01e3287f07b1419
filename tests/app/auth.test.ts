import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDatabase } from "~/db.server";
import { mockShopifyApi, type ShopifyApiMock } from "../helpers/shopify-api-mock";
import { APP_URL, TEST_SHOP, sessionToken } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

await migratedTestDatabase();
const { loader: dashboardLoader } = await import("~/routes/app._index");

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
    expect(jobs.map((job) => job.resource)).toEqual(["customers", "products", "orders"]);
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
});
