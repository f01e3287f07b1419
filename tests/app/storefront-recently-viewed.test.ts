import { beforeEach, describe, expect, it } from "vitest";
import { insertProducts } from "~/services/recommendations/testing/catalogue-rows";
import {
  insertPixelEvents,
  insertPixelVisitors,
} from "~/services/behaviour/testing/pixel-event-rows";
import { parseRecommendations } from "~/storefront/lib/data";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { action, loader } from "~/routes/proxy.$";

const { sql, prisma } = await migratedTestDatabase();

const ORIGIN = `https://${TEST_SHOP}`;
const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);
const args = (request: Request) => ({ request, params: { "*": "recently-viewed" }, context: {} });
const get = (params: Record<string, string> = {}, customer = "") =>
  loader(
    args(
      new Request(
        signedProxyUrl("/proxy/recently-viewed", {
          shop: TEST_SHOP,
          logged_in_customer_id: customer,
          ...params,
        }),
      ),
    ),
  );
const ids = async (response: Response) =>
  parseRecommendations(await response.json(), ORIGIN)?.products.map((product) => product.id);

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, currency: "EUR" } })).id;
  await insertProducts(sql, shopId, [
    { id: 10n, price: "12.50" },
    { id: 20n },
    { id: 30n, status: "draft" },
    { id: 40n },
    { id: 50n },
  ]);
  await insertPixelVisitors(sql, shopId, [{ clientId: "laptop-1", customerId: 7n }]);
  await insertPixelEvents(sql, shopId, [
    { eventId: "a", clientId: "guest-1", productId: 10n, occurredAt: ago(30) },
    { eventId: "b", clientId: "guest-1", productId: 20n, occurredAt: ago(20) },
    { eventId: "c", clientId: "guest-1", productId: 30n, occurredAt: ago(15) },
    { eventId: "d", clientId: "guest-1", productId: 10n, occurredAt: ago(10) },
    { eventId: "e", clientId: "guest-1", productId: 40n, occurredAt: ago(5) },
    { eventId: "f", clientId: "laptop-1", productId: 50n, occurredAt: ago(8) },
    { eventId: "g", clientId: "phone-1", customerId: 7n, productId: 20n, occurredAt: ago(1) },
    {
      eventId: "h",
      clientId: "guest-1",
      name: "page_viewed",
      productId: null,
      occurredAt: ago(1),
    },
  ]);
});

describe("GET /apps/rekindle/recently-viewed", () => {
  it("GIVEN a guest's pixel client id WHEN asked on a product page THEN their active products, newest first, once, without the page's product, as cards the script accepts, never cached", async () => {
    const response = await get({ client_id: "guest-1", product_id: "40", limit: "4" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await response.json()) as { products: unknown[] };
    const parsed = parseRecommendations(body, ORIGIN);
    expect(parsed?.products.map((product) => product.id)).toEqual(["10", "20"]);
    expect(parsed?.products).toHaveLength(body.products.length);
    expect(parsed?.products[0]).toMatchObject({
      title: "Product 10",
      url: "/products/product-10",
      price: { amount: "12.50", currencyCode: "EUR" },
      image: { url: "https://cdn.shopify.com/s/files/1/p10.jpg", width: 800, height: 800 },
    });
  });

  it("GIVEN the signed customer WHEN asked THEN their views from every browser stitched to them", async () => {
    expect(await ids(await get({}, "7"))).toEqual(["20", "50"]);
    expect(await ids(await get({ client_id: "guest-1", limit: "2" }, "7"))).toEqual(["20", "40"]);
  });

  it("GIVEN a browser that viewed nothing, or no identity WHEN asked THEN an empty list (the block hides)", async () => {
    expect(await ids(await get({ client_id: "unknown" }))).toEqual([]);
    expect(await ids(await get())).toEqual([]);
    // A malformed client id is ignored, not searched for.
    expect(await ids(await get({ client_id: "guest-1' OR 1=1" }))).toEqual([]);
  });

  it("refuses a bad signature with 401 and another method with 405", async () => {
    const url = new URL(signedProxyUrl("/proxy/recently-viewed", { shop: TEST_SHOP }));
    url.searchParams.set("client_id", "guest-1");
    expect((await loader(args(new Request(url)))).status).toBe(401);
    const post = await action(
      args(
        new Request(signedProxyUrl("/proxy/recently-viewed", { shop: TEST_SHOP }), {
          method: "POST",
        }),
      ),
    );
    expect(post.status).toBe(405);
  });
});
