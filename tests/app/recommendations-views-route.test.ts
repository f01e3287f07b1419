import { beforeEach, describe, expect, it } from "vitest";
import { insertPixelEvents } from "~/services/behaviour/testing/pixel-rows";
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
import { parseRecommendations } from "~/storefront/lib/data";
import { loader } from "~/routes/proxy.$";
import { subscribeShop } from "../helpers/app-plan";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// A guest's product views reach their recommendations through the signed app proxy request,
// by the web pixel's client id of their browser.
const { sql, prisma } = await migratedTestDatabase();
const ORIGIN = `https://${TEST_SHOP}`;

const get = (params: Record<string, string>) =>
  loader({
    request: new Request(
      signedProxyUrl("/proxy/recommendations", {
        shop: TEST_SHOP,
        logged_in_customer_id: "",
        ...params,
      }),
    ),
    params: { "*": "recommendations" },
    context: {},
  });

async function recommendedIds(response: Response) {
  const parsed = parseRecommendations(await response.json(), ORIGIN);
  return { source: parsed?.source, ids: parsed?.products.map((product) => product.id) };
}

beforeEach(async () => {
  await truncateAppTables();
  for (const cache of [
    anonymousAnswers,
    servingModelHeaders,
    servingSettings,
    servingCatalogue,
    servingNeighbourSets,
  ])
    cache.clear();
  forgetPersonalizationGates();
  const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await subscribeShop(sql, shopId, "Growth");
  const now = new Date();
  await seedRecommendationShop(sql, shopId, now);
  await rebuildRecommendationModel(sql, shopId);
  await serveWithPolicy(sql, shopId, { for_you: { viewed: 1, popularity: 0.01 } });
  await insertPixelEvents(
    sql,
    shopId,
    [80n, 80n, 30n].map((productId, i) => ({
      name: "product_viewed" as const,
      at: new Date(now.getTime() - (i + 1) * 3_600_000),
      clientId: "guest-browser",
      productId,
    })),
  );
});

describe("GET /apps/rekindle/recommendations with the pixel's client id", () => {
  it("GIVEN a guest browser that viewed products WHEN it asks with its client id THEN its views lead, privately", async () => {
    const response = await get({ client_id: "guest-browser", context: "home" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const { source, ids } = await recommendedIds(response);
    expect(source).toBe("viewed");
    expect(ids?.slice(0, 2)).toEqual(["80", "30"]);

    // The shared anonymous answer is not this guest's.
    const anonymous = await recommendedIds(await get({ context: "home" }));
    expect(anonymous).toEqual({ source: "popular", ids: ["10", "20", "30", "70"] });
  });

  it("GIVEN a client id that is not one THEN it is ignored", async () => {
    const response = await get({ client_id: "no spaces or <tags>", context: "home" });
    expect((await recommendedIds(response)).source).toBe("popular");
  });
});
