import { describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { rebuildDueRecommendationModels } from "./rebuild-schedule.server";
import { seedRecommendationShop } from "./testing/seed-store";

const { sql, prisma } = await migratedTestDatabase();

describe("rebuildDueRecommendationModels", () => {
  it("builds the model of a shop that has none, and stops when the runner stops", async () => {
    await truncateAppTables();
    const first = await prisma.shop.create({ data: { domain: "a.myshopify.com" } });
    const second = await prisma.shop.create({ data: { domain: "b.myshopify.com" } });
    await seedRecommendationShop(sql, first.id, new Date());

    await rebuildDueRecommendationModels(sql, () => false);
    expect(await prisma.recommendationModel.count()).toBe(0);

    await rebuildDueRecommendationModels(sql, () => true);
    const models = await prisma.recommendationModel.findMany({ orderBy: { shopId: "asc" } });
    expect(models.map((model) => [model.shopId, model.productsCount])).toEqual([
      [first.id, 6],
      [second.id, 0],
    ]);
  });
});
