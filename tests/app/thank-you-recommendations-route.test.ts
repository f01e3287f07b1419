import { beforeEach, describe, expect, it } from "vitest";
import { servingCatalogue } from "~/services/recommendations/catalogue.server";
import {
  servingModelHeaders,
  servingNeighbourSets,
} from "~/services/recommendations/model-reader.server";
import { rebuildRecommendationModel } from "~/services/recommendations/model-store.server";
import { servingSettings } from "~/services/recommendations/settings-store.server";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { serveWithPolicy } from "~/services/recommendations/testing/serving-policy";
import {
  anonymousAnswers,
  forgetPersonalizationGates,
} from "~/services/storefront/recommendations-endpoint.server";
import { APP_URL, TEST_SHOP, checkoutSessionToken } from "../helpers/shopify-requests";
import { subscribeShop } from "../helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader, action } from "~/routes/api.thank-you-recommendations";

// The thank-you page extension's backend behind real checkout session tokens.
const { sql, prisma } = await migratedTestDatabase();

const CHECKOUT_ORIGIN = "https://extensions.shopifycdn.com";

async function ask(query: string, token: string | null, method = "GET") {
  const request = new Request(`${APP_URL}/api/thank-you-recommendations?${query}`, {
    method,
    headers: {
      Origin: CHECKOUT_ORIGIN,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });
  const args = { request, params: {}, context: {} };
  try {
    return method === "GET" ? await loader(args) : await action(args);
  } catch (thrown) {
    // shopify-app-remix throws its 401 and preflight answers as responses.
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const ids = async (response: Response) =>
  ((await response.json()) as { products: { id: string }[] }).products.map((p) => p.id);

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  for (const cache of [
    anonymousAnswers,
    servingModelHeaders,
    servingSettings,
    servingCatalogue,
    servingNeighbourSets,
  ]) {
    cache.clear();
  }
  forgetPersonalizationGates();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP, currency: "EUR" } })).id;
  // A signed-in buyer's personal picks are a paid feature.
  await subscribeShop(sql, shopId, "Growth");
  await seedRecommendationShop(sql, shopId, new Date());
  await rebuildRecommendationModel(sql, shopId);
  await serveWithPolicy(sql, shopId, {
    cart: { contextKnn: 1, ownCount: 1, popularity: 0.01 },
    lifecycle_dormant: { ownCount: 1, popularity: 0.01 },
  });
});

describe("GET /api/thank-you-recommendations", () => {
  it("answers a guest's order with what is bought with its products, with CORS", async () => {
    // GIVEN a guest's checkout token WHEN the order held product 10
    const response = await ask("product_ids=10&limit=3", await checkoutSessionToken());
    // THEN its co-purchases come first, never the ordered product itself
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const body = (await response.clone().json()) as { requestId: string; token: string };
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.token).not.toBe("");
    const products = await ids(response);
    expect(products[0]).toBe("20");
    expect(products).not.toContain("10");
  });

  it("answers a signed-in buyer personally, from the token's subject", async () => {
    const guest = await ids(await ask("product_ids=80&limit=4", await checkoutSessionToken()));
    const buyer = await ids(
      await ask("product_ids=80&limit=4", await checkoutSessionToken({ customerId: "7" })),
    );
    // Customer 7 bought 30 twice: it leads their list but not the guest's.
    expect(buyer[0]).toBe("30");
    expect(guest[0]).not.toBe("30");
  });

  it("refuses a missing, forged or expired token with 401", async () => {
    expect((await ask("product_ids=10", null)).status).toBe(401);
    expect(
      (await ask("product_ids=10", await checkoutSessionToken({}, "wrong-secret"))).status,
    ).toBe(401);
    const expired = await checkoutSessionToken({ lifetimeSeconds: -60 });
    expect((await ask("product_ids=10", expired)).status).toBe(401);
  });

  it("answers bad input with a clear 4xx or bestsellers, never a 500", async () => {
    const token = await checkoutSessionToken();
    const big = await ask("product_ids=10,9223372036854775808", token);
    expect(big.status).toBe(400);
    expect(await big.json()).toEqual({ error: "invalid_product_id" });
    // An order of unknown or deleted products, or none at all: bestsellers.
    for (const query of ["product_ids=123456", "product_ids=", ""]) {
      const response = await ask(query, token);
      expect(response.status, query).toBe(200);
      expect(await ids(response)).toContain("10");
    }
    // A token for a shop that never installed the app.
    const other = await ask(
      "product_ids=10",
      await checkoutSessionToken({ shop: "other.myshopify.com" }),
    );
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: "shop_not_installed" });
  });

  it("answers the CORS preflight without a token", async () => {
    const response = await ask("product_ids=10", null, "OPTIONS");
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
  });
});
