import { describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { rebuildDueRecommendationModels } from "./rebuild-schedule.server";
import { DEFAULT_RECOMMENDATION_SETTINGS, editablePart } from "./settings";
import { loadRecommendationSettings, saveRecommendationSettings } from "./settings-store.server";
import { seedRecommendationShop } from "./testing/seed-store";

const { sql, prisma } = await migratedTestDatabase();
/** For shops without excluded collections, which never need Shopify. */
const noShopify = async (domain: string): Promise<never> => {
  throw new Error(`unexpected Admin API call for ${domain}`);
};

describe("rebuildDueRecommendationModels", () => {
  it("builds the model of a shop that has none, and stops when the runner stops", async () => {
    await truncateAppTables();
    const first = await prisma.shop.create({ data: { domain: "a.myshopify.com" } });
    const second = await prisma.shop.create({ data: { domain: "b.myshopify.com" } });
    await seedRecommendationShop(sql, first.id, new Date());

    const bothShops = { shopId: { in: [first.id, second.id] } };
    await rebuildDueRecommendationModels(sql, () => false, noShopify);
    expect(await prisma.recommendationModel.count({ where: bothShops })).toBe(0);

    await rebuildDueRecommendationModels(sql, () => true, noShopify);
    const models = await prisma.recommendationModel.findMany({
      where: bothShops,
      orderBy: { shopId: "asc" },
    });
    expect(models.map((model) => [model.shopId, model.productsCount])).toEqual([
      [first.id, 6],
      [second.id, 0],
    ]);
  });

  it("keeps the resolved collection products when Shopify cannot be asked, and still rebuilds", async () => {
    await truncateAppTables();
    const shop = await prisma.shop.create({ data: { domain: "c.myshopify.com" } });
    await seedRecommendationShop(sql, shop.id, new Date());
    await saveRecommendationSettings(
      sql,
      shop.id,
      {
        ...editablePart(DEFAULT_RECOMMENDATION_SETTINGS),
        excludedCollections: [{ id: "5", title: "Hidden" }],
      },
      { productIds: ["20"], resolvedAt: new Date("2026-11-27T00:00:00Z") },
    );
    const asked: string[] = [];
    await rebuildDueRecommendationModels(
      sql,
      () => true,
      async (domain) => {
        asked.push(domain);
        throw new Error("no offline session");
      },
    );
    expect(asked).toEqual(["c.myshopify.com"]);
    expect(await prisma.recommendationModel.count({ where: { shopId: shop.id } })).toBe(1);
    const { settings } = await loadRecommendationSettings(sql, shop.id);
    expect(settings.excludedCollectionProductIds).toEqual(["20"]);
  });
});
