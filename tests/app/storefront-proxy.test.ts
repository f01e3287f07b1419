import { beforeEach, describe, expect, it } from "vitest";
import { rebuildRecommendationModel } from "~/services/recommendations/model-store.server";
import { DEFAULT_RECOMMENDATION_SETTINGS } from "~/services/recommendations/settings";
import {
  saveRecommendationSettings,
  servingSettings,
} from "~/services/recommendations/settings-store.server";
import { insertProducts } from "~/services/recommendations/testing/catalogue-rows";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { serveWithPolicy } from "~/services/recommendations/testing/serving-policy";
import { signEventToken } from "~/services/storefront/event-token.server";
import { servingCatalogue } from "~/services/recommendations/catalogue.server";
import {
  servingModelHeaders,
  servingNeighbourSets,
} from "~/services/recommendations/model-reader.server";
import {
  anonymousAnswers,
  forgetPersonalizationGates,
} from "~/services/storefront/recommendations-endpoint.server";
import { parseOffer, parseRecommendations } from "~/storefront/lib/data";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { subscribeShop } from "../helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader, action } from "~/routes/proxy.$";

const { sql, prisma } = await migratedTestDatabase();

const ORIGIN = `https://${TEST_SHOP}`;
const args = (request: Request, path: string) => ({ request, params: { "*": path }, context: {} });
const get = (path: string, params: Record<string, string> = {}, customer = "") =>
  loader(
    args(
      new Request(
        signedProxyUrl(`/proxy/${path}`, {
          shop: TEST_SHOP,
          logged_in_customer_id: customer,
          ...params,
        }),
      ),
      path,
    ),
  );
const post = (body: string, customer = "") =>
  action(
    args(
      new Request(
        signedProxyUrl("/proxy/events", { shop: TEST_SHOP, logged_in_customer_id: customer }),
        {
          method: "POST",
          body,
          headers: { "Content-Type": "text/plain;charset=UTF-8" },
        },
      ),
      "events",
    ),
  );

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  anonymousAnswers.clear();
  servingModelHeaders.clear();
  servingSettings.clear();
  servingCatalogue.clear();
  servingNeighbourSets.clear();
  forgetPersonalizationGates();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, currency: "EUR" } })).id;
  // Personalized recommendations are a paid feature; the Free plan's answer is tested below.
  await subscribeShop(sql, shopId, "Growth");
  await seedRecommendationShop(sql, shopId, new Date());
  await rebuildRecommendationModel(sql, shopId);
  // The seeded shop is too small for training to leave bestsellers, so the personal paths are
  // served with set weights.
  await serveWithPolicy(sql, shopId, {
    product_page: { contextKnn: 1, popularity: 0.01 },
    lifecycle_dormant: { ownCount: 1, popularity: 0.01 },
  });
});

describe("GET /apps/rekindle/recommendations", () => {
  it("answers a product page with products the storefront script accepts, publicly cacheable", async () => {
    const response = await get("recommendations", {
      product_id: "10",
      limit: "4",
      context: "product",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    const body: unknown = await response.json();
    const parsed = parseRecommendations(body, ORIGIN);
    expect(parsed?.source).toBe("neighbours");
    // Every product survives the script's validation, so nothing is silently dropped.
    expect(parsed?.products).toHaveLength((body as { products: unknown[] }).products.length);
    expect(parsed?.products.map((product) => product.id)).toEqual(["20", "30", "70"]);
    expect(parsed?.products[0]).toEqual({
      id: "20",
      title: "Product 20",
      url: "/products/product-20",
      price: { amount: "12.50", currencyCode: "EUR" },
      compareAtPrice: null,
      image: { url: "https://cdn.shopify.com/s/files/1/p20.jpg", alt: "", width: 800, height: 800 },
      variantId: "200",
      variants: [],
    });
    // 30's compare-at price equals its price: not a sale.
    expect(parsed?.products[1]?.compareAtPrice).toBeNull();
    expect(parsed?.products[2]?.image).toBeNull();
  });

  it("gives each response its own requestId, also when the answer comes from the cache", async () => {
    const params = { product_id: "10", limit: "4", context: "product" };
    const first = (await (await get("recommendations", params)).json()) as { requestId: string };
    const second = (await (await get("recommendations", params)).json()) as { requestId: string };
    expect(anonymousAnswers.size).toBe(1);
    expect(first.requestId).not.toBe(second.requestId);
  });

  it("serves a rebuilt model instead of the cached answer", async () => {
    const params = { product_id: "10", limit: "4", context: "product" };
    await get("recommendations", params);
    await sql.query(`UPDATE product SET status = 'archived' WHERE shop_id = $1 AND id = 20`, [
      shopId,
    ]);
    await rebuildRecommendationModel(sql, shopId, new Date(Date.now() + 1000));
    const body = (await (await get("recommendations", params)).json()) as {
      products: { id: string }[];
    };
    expect(body.products.map((product) => product.id)).toEqual(["30", "70"]);
  });

  it("serves a saved settings change at once instead of the cached answer", async () => {
    const params = { product_id: "10", limit: "12", context: "product" };
    const ids = async () =>
      (
        (await (await get("recommendations", params)).json()) as { products: { id: string }[] }
      ).products.map((product) => product.id);
    expect(await ids()).toEqual(["20", "30", "70"]);
    await saveRecommendationSettings(sql, shopId, {
      ...DEFAULT_RECOMMENDATION_SETTINGS,
      pinnedProductIds: ["80"],
      blockedProductIds: ["30"],
      maxPerBlock: 2,
    });
    // `limit=12` is capped by the merchant's maximum.
    expect(await ids()).toEqual(["80", "20"]);
  });

  it("answers a logged-in shopper personally and privately", async () => {
    const response = await get("recommendations", { limit: "4", context: "home" }, "7");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const parsed = parseRecommendations(await response.json(), ORIGIN);
    expect(parsed?.source).toBe("repurchase");
    expect(parsed?.products[0]?.id).toBe("30");
    expect(anonymousAnswers.size).toBe(0);
  });

  it("answers a logged-in shopper on the Free plan with bestsellers, not personal picks", async () => {
    // GIVEN the shop's subscription ended, so it is on Free
    await sql.query(
      `UPDATE app_subscription SET status = 'CANCELLED', updated_at = now() WHERE shop_id = $1`,
      [shopId],
    );
    forgetPersonalizationGates();
    // WHEN the same shopper asks as in the personal answer above
    const response = await get("recommendations", { limit: "4", context: "home" }, "7");
    // THEN the block shows the shop's bestsellers instead of what the shopper bought before
    const parsed = parseRecommendations(await response.json(), ORIGIN);
    expect(parsed?.source).toBe("popular");
    expect(parsed?.products[0]?.id).not.toBe("30");
  });

  it("answers a bad signature with 401", async () => {
    const url = signedProxyUrl(
      "/proxy/recommendations",
      { shop: TEST_SHOP, logged_in_customer_id: "", product_id: "10" },
      "wrong-secret",
    );
    const response = await loader(args(new Request(url), "recommendations"));
    expect(response.status).toBe(401);
  });

  it("ignores malformed parameters instead of failing", async () => {
    const response = await get("recommendations", {
      product_id: "10 OR 1=1",
      product_ids: "x,,20",
      limit: "-5",
      context: "<script>",
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { products: { id: string }[] };
    // Cart [20], limit clamped to 1.
    expect(body.products.map((product) => product.id)).toEqual(["10"]);
  });

  it("answers ids beyond a signed 64-bit column with a clear 400, not a server error", async () => {
    const tooLarge = "9223372036854775808"; // 2^63
    const cases: Array<Record<string, string>> = [
      { product_id: tooLarge },
      { product_ids: `20,${tooLarge}` },
      { product_id: "18446744073709551615" },
    ];
    for (const params of cases) {
      const response = await get("recommendations", params);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_product_id" });
    }
    const shopper = await get("recommendations", { product_id: "10" }, tooLarge);
    expect(shopper.status).toBe(400);
    expect(await shopper.json()).toEqual({ error: "invalid_customer_id" });
    // The largest storable id is an ordinary id: of a product this shop does not have.
    const unknown = await get("recommendations", { product_id: "9223372036854775807" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "product_not_found" });
  });
});

describe("GET /apps/rekindle/recommendations: what a card adds to the cart", () => {
  it("gives each product the variant it adds and, with several variants, a picker list", async () => {
    // GIVEN product 20 with a second, dearer variant and a sold-out third one
    await sql.query(
      `INSERT INTO variant (shop_id, id, product_id, title, price, available_for_sale)
       VALUES ($1, 201, 20, 'Large', 15.5, true), ($1, 202, 20, 'Huge', 19, false)`,
      [shopId],
    );
    // WHEN the product page of 10 asks
    const response = await get("recommendations", { product_id: "10", context: "product" });
    const body = (await response.json()) as {
      products: { id: string; variantId: string | null; variants: unknown[] }[];
    };
    const parsed = parseRecommendations(body, ORIGIN);
    // THEN 20 adds its cheapest variant for sale and lists all three for the picker
    expect(body.products[0]).toMatchObject({
      id: "20",
      variantId: "200",
      variants: [
        {
          id: "200",
          title: "Default",
          price: { amount: "12.50", currencyCode: "EUR" },
          available: true,
        },
        {
          id: "201",
          title: "Large",
          price: { amount: "15.50", currencyCode: "EUR" },
          available: true,
        },
        {
          id: "202",
          title: "Huge",
          price: { amount: "19.00", currencyCode: "EUR" },
          available: false,
        },
      ],
    });
    // AND a single-variant product has no picker
    expect(body.products[1]).toMatchObject({ id: "30", variantId: "300", variants: [] });
    // AND the storefront script keeps both
    expect(parsed?.products[0]?.variantId).toBe("200");
    expect(parsed?.products[0]?.variants.map((variant) => variant.id)).toEqual([
      "200",
      "201",
      "202",
    ]);
  });
});

describe("GET /apps/rekindle/recommendations: bad input", () => {
  it("answers ids at or above 2^63 with 400 instead of failing in SQL", async () => {
    const cases: Record<string, string>[] = [
      { product_id: "9223372036854775808", context: "product" },
      { product_ids: "20,18446744073709551616", context: "cart" },
      { product_id: "99999999999999999999999", context: "product" },
    ];
    for (const params of cases) {
      const response = await get("recommendations", params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_product_id" });
    }
    // The largest id Shopify can have is a valid question (an unknown product here).
    const largest = await get("recommendations", { product_id: "9223372036854775807" });
    expect(largest.status).toBe(404);
  });

  it("answers a product this shop does not have with 404: unknown, deleted or another shop's", async () => {
    // GIVEN product 900 of another shop and product 80 deleted here
    const other = await prisma.shop.create({
      data: { domain: "other.myshopify.com", currency: "EUR" },
    });
    await insertProducts(sql, other.id, [{ id: 900n }]);
    await sql.query(`UPDATE product SET deleted_at = now() WHERE shop_id = $1 AND id = 80`, [
      shopId,
    ]);
    for (const productId of ["900", "80", "123456"]) {
      // WHEN a product page asks for it
      const response = await get("recommendations", { product_id: productId, context: "product" });
      // THEN it is told clearly, and never cached publicly
      expect(response.status, productId).toBe(404);
      expect(response.headers.get("Cache-Control")).toBe("private, no-store");
      expect(await response.json()).toEqual({ error: "product_not_found" });
    }
    expect(anonymousAnswers.size).toBe(0);
  });

  it("answers an empty cart, or one of unknown products, with bestsellers", async () => {
    for (const productIds of ["", "123456,654321"]) {
      const response = await get("recommendations", { product_ids: productIds, context: "cart" });
      expect(response.status, productIds).toBe(200);
      const body = (await response.json()) as { products: { id: string }[] };
      expect(body.products.map((product) => product.id)).toContain("10");
    }
  });

  it("answers bestsellers when the shop has no model yet", async () => {
    await sql.query(`DELETE FROM recommendation_model WHERE shop_id = $1`, [shopId]);
    servingModelHeaders.clear();
    const response = await get("recommendations", { product_id: "20", context: "product" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { products: { id: string }[] };
    expect(body.products.map((product) => product.id)).toContain("10");
  });
});

describe("GET /apps/rekindle/offer", () => {
  beforeEach(async () => {
    await sql.query(
      `INSERT INTO customer_offer (shop_id, customer_id, code, title, discount_text, expires_at)
       VALUES ($1, 7, 'COMEBACK-7', 'We miss you', '15% off', now() + interval '7 days'),
              ($1, 8, 'OLD-8', 'Expired', '10% off', now() - interval '1 day')`,
      [shopId],
    );
  });

  it("shows the logged-in customer their active offer, privately", async () => {
    const response = await get("offer", {}, "7");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await response.json()) as { offer: unknown };
    const offer = parseOffer(body.offer, Date.now());
    expect(offer).toMatchObject({
      code: "COMEBACK-7",
      title: "We miss you",
      discountText: "15% off",
    });
  });

  it("answers an empty offer to a customer without one, with an expired one, or to a guest", async () => {
    for (const customer of ["9", "8", ""]) {
      const response = await get("offer", {}, customer);
      expect(await response.json()).toEqual({ offer: null });
    }
  });
});

describe("a test of a placement against bestsellers", () => {
  const answerFor = async (visitor: string) =>
    (await (
      await get("recommendations", { product_id: "10", limit: "4", context: "product", visitor })
    ).json()) as { token: string; products: { id: string }[] };
  const claimsIn = (token: string) =>
    JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as unknown[];
  const armIn = (token: string) => claimsIn(token)[2];

  it("shows each visitor one arm, always the same, and bestsellers to the control arm", async () => {
    await saveRecommendationSettings(sql, shopId, {
      ...DEFAULT_RECOMMENDATION_SETTINGS,
      experimentShares: { ...DEFAULT_RECOMMENDATION_SETTINGS.experimentShares, product_page: 50 },
    });
    const visitors = Array.from({ length: 24 }, (_, i) => `visitor-${i}-abcdef`);
    const arms = new Map<string, unknown>();
    for (const visitor of visitors) {
      const first = await answerFor(visitor);
      const again = await answerFor(visitor);
      arms.set(visitor, armIn(first.token));
      expect(armIn(again.token)).toBe(armIn(first.token));
      expect(again.products).toEqual(first.products);
    }
    expect(new Set(arms.values())).toEqual(new Set(["ours", "bestsellers"]));
    const control = visitors.find((visitor) => arms.get(visitor) === "bestsellers") ?? "";
    const treated = visitors.find((visitor) => arms.get(visitor) === "ours") ?? "";
    // The control arm is served by the bestseller weights, the other by the shop's policy.
    expect(claimsIn((await answerFor(control)).token)[1]).toBe("bestsellers");
    expect(claimsIn((await answerFor(treated)).token)[1]).toBe("personalized");
  });
});

describe("POST /apps/rekindle/events", () => {
  const events = async () =>
    (
      await sql.query<{ request_id: string; type: string; product_id: string }>(
        `SELECT request_id, type, product_id FROM recommendation_event ORDER BY id`,
      )
    ).rows;

  interface Served {
    requestId: string;
    token: string;
    products: { id: string }[];
  }
  const serve = async (customer = "") =>
    (await (
      await get("recommendations", { product_id: "10", limit: "4", context: "product" }, customer)
    ).json()) as Served;
  const eventBody = (served: Served, type: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type,
      block: "recommendations",
      requestId: served.requestId,
      context: "product",
      token: served.token,
      productIds: served.products.map((product) => product.id).join(","),
      ...extra,
    });

  it("stores a served answer's impression and clicks once per requestId, type and product", async () => {
    const served = await serve();
    expect(served.products.map((product) => product.id)).toEqual(["20", "30", "70"]);
    const impression = eventBody(served, "impression");
    const click = eventBody(served, "click", { productId: "20" });
    // Sent again (a replayed beacon, a double click): refused, still one row each.
    const statuses: number[] = [];
    for (const body of [impression, impression, click, click])
      statuses.push((await post(body)).status);
    expect(statuses).toEqual([204, 409, 204, 409]);
    expect(await events()).toEqual([
      { request_id: served.requestId, type: "impression", product_id: "" },
      { request_id: served.requestId, type: "click", product_id: "20" },
    ]);
  });

  it("credits an add-to-cart to the placement, method and visitor its token says served it", async () => {
    const served = (await (
      await get("recommendations", {
        product_id: "10",
        limit: "4",
        context: "product",
        visitor: "visitor-abc-123",
      })
    ).json()) as Served;
    const add = eventBody(served, "add_to_cart", { productId: "30" });
    expect((await post(add)).status).toBe(204);
    // Replayed: refused, still one row.
    expect((await post(add)).status).toBe(409);
    // Not a product of the list: refused.
    expect((await post(eventBody(served, "add_to_cart", { productId: "80" }))).status).toBe(403);
    const { rows } = await sql.query(
      `SELECT type, product_id, placement, method, arm, visitor FROM recommendation_event`,
    );
    expect(rows).toEqual([
      {
        type: "add_to_cart",
        product_id: "30",
        placement: "product_page",
        method: "personalized",
        arm: null,
        visitor: "visitor-abc-123",
      },
    ]);
  });

  it("stores the Frequently bought together block's events under the same proof", async () => {
    const served = await serve();
    const add = JSON.stringify({
      ...(JSON.parse(eventBody(served, "add_to_cart", { productId: "20" })) as object),
      block: "frequently_bought_together",
    });
    expect((await post(add)).status).toBe(204);
    const forged = add.replace(served.token, `${served.token.slice(0, -2)}AA`);
    expect((await post(forged.replace('"20"', '"30"'))).status).toBe(403);
    const { rows } = await sql.query(`SELECT block, type, product_id FROM recommendation_event`);
    expect(rows).toEqual([
      { block: "frequently_bought_together", type: "add_to_cart", product_id: "20" },
    ]);
  });

  it("refuses forged, tampered or unsigned events and stores nothing", async () => {
    const served = await serve();
    const forged = [
      // No token at all (what anyone could type into a console).
      JSON.stringify({ type: "click", block: "recommendations", requestId: "r", productId: "20" }),
      eventBody(served, "click", { productId: "20", token: "abc.AAAAAAAAAAAAAAAAAAAAAA" }),
      // A made-up requestId with a real token.
      eventBody({ ...served, requestId: "made-up" }, "impression"),
      // A product that was not served, claimed as served or not.
      eventBody(served, "click", { productId: "80" }),
      eventBody(served, "click", { productId: "80", productIds: "20,30,70,80" }),
    ];
    for (const body of forged) expect((await post(body)).status).toBe(403);
    expect(await events()).toEqual([]);
  });

  it("stores nothing for a token older than 24 hours", async () => {
    const served = await serve();
    const productIds = served.products.map((product) => product.id);
    const issued = new Date(Date.now() - 24 * 60 * 60_000 - 120_000);
    const token = signEventToken(
      process.env.SHOPIFY_API_SECRET ?? "",
      { shop: TEST_SHOP, requestId: served.requestId, productIds, customerId: null },
      { placement: "product_page", method: "bestsellers", arm: null, visitor: null },
      issued,
    );
    expect((await post(eventBody({ ...served, token }, "impression"))).status).toBe(403);
    expect(await events()).toEqual([]);
  });

  it("binds a signed-in shopper's personal answer to them", async () => {
    const served = await serve("7");
    const click = eventBody(served, "click", { productId: served.products[0]?.id });
    expect((await post(click)).status).toBe(403);
    expect((await post(click, "8")).status).toBe(403);
    expect(await events()).toEqual([]);
    expect((await post(click, "7")).status).toBe(204);
    expect(await events()).toHaveLength(1);
  });

  it("accepts a signed-in shopper's events on an anonymous (shared) answer", async () => {
    const served = await serve();
    expect((await post(eventBody(served, "click", { productId: "30" }), "7")).status).toBe(204);
    expect(await events()).toEqual([
      { request_id: served.requestId, type: "click", product_id: "30" },
    ]);
  });

  it("rejects bodies our scripts never send", async () => {
    for (const body of [
      "not json",
      "[]",
      JSON.stringify({ type: "click", block: "recommendations", requestId: "r" }),
      JSON.stringify({
        type: "click",
        block: "recommendations",
        requestId: "r",
        productId: "9223372036854775808",
      }),
      JSON.stringify({
        type: "offer_view",
        block: "winback_banner",
        offerId: "9223372036854775808",
      }),
    ]) {
      expect((await post(body)).status).toBe(400);
    }
    expect(await events()).toEqual([]);
  });

  it("records banner events only for the signed customer's own offer", async () => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO customer_offer (shop_id, customer_id, code, title) VALUES ($1, 7, 'C', 'T')
       RETURNING id::text`,
      [shopId],
    );
    const body = JSON.stringify({
      type: "offer_view",
      block: "winback_banner",
      offerId: rows[0]?.id,
    });
    expect((await post(body, "9")).status).toBe(403);
    expect(await events()).toEqual([]);
    expect((await post(body, "7")).status).toBe(204);
    // The banner reports its view on every page: a second one is not an error.
    expect((await post(body, "7")).status).toBe(204);
    expect(await events()).toEqual([
      { request_id: `offer:${rows[0]?.id ?? ""}`, type: "offer_view", product_id: "" },
    ]);
  });

  it("refuses a GET", async () => {
    expect((await get("events")).status).toBe(405);
  });
});
