import { beforeEach, describe, expect, it } from "vitest";
import { signAppProxyQuery } from "../devstore/signing";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { storeOfflineSession } from "../helpers/offline-session";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader as proxyLoader } from "~/routes/proxy.$";

// Attack: storefront requests that did not come through Shopify's app proxy, or came through
// it once and are sent again or altered (to act as another shopper or another shop).
const { prisma } = await migratedTestDatabase();

const OTHER_SHOP = "other-store.myshopify.com";
const proxyParams = { shop: TEST_SHOP, path_prefix: "/apps/rekindle", logged_in_customer_id: "" };
const get = (url: string, path = "offer") =>
  proxyLoader({ request: new Request(url), params: { "*": path }, context: {} });

beforeEach(async () => {
  await truncateAppTables();
  for (const shop of [TEST_SHOP, OTHER_SHOP]) {
    await prisma.shop.create({ data: { domain: shop, state: "installed" } });
    await storeOfflineSession({ shop });
  }
});

describe("app proxy forgery and replay", () => {
  it("answers a bad signature with 401", async () => {
    const url = signedProxyUrl("/proxy/recommendations", proxyParams, "wrong-secret");
    const response = await get(url, "recommendations");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_signature" });
  });

  it("answers a genuine request with its signed shopper changed afterwards with 401", async () => {
    const genuine = new URL(
      signedProxyUrl("/proxy/offer", { ...proxyParams, logged_in_customer_id: "1001" }),
    );
    expect((await get(genuine.href)).status).toBe(200);
    genuine.searchParams.set("logged_in_customer_id", "1002");
    expect((await get(genuine.href)).status).toBe(401);
    const appended = new URL(signedProxyUrl("/proxy/offer", proxyParams));
    appended.searchParams.append("logged_in_customer_id", "1002");
    expect((await get(appended.href)).status).toBe(401);
  });

  it("answers one shop's signed request sent as another shop's with 401", async () => {
    const url = new URL(signedProxyUrl("/proxy/offer", proxyParams));
    url.searchParams.set("shop", OTHER_SHOP);
    expect((await get(url.href)).status).toBe(401);
  });

  it("answers a signed request replayed minutes later with 401", async () => {
    const signedAt = (secondsAgo: number) => {
      const query = signAppProxyQuery({
        query: new URLSearchParams(),
        shop: TEST_SHOP,
        pathPrefix: "/apps/rekindle",
        loggedInCustomerId: "1001",
        secret: process.env.SHOPIFY_API_SECRET ?? "",
        now: new Date(Date.now() - secondsAgo * 1000),
      });
      return `https://rekindle.test/proxy/offer?${query}`;
    };
    expect((await get(signedAt(5))).status).toBe(200);
    expect((await get(signedAt(10 * 60))).status).toBe(401);
  });
});
