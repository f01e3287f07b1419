import { beforeEach, describe, expect, it } from "vitest";
import { listShopScopedTables } from "~/services/privacy/shop-tables.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { DEFAULT_RECOMMENDATION_SETTINGS } from "./settings";
import { loadRecommendationSettings, saveRecommendationSettings } from "./settings-store.server";

const { sql, prisma } = await migratedTestDatabase();

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "rules.myshopify.com" } })).id;
});

describe("recommendation settings store", () => {
  it("serves the defaults, version 0, before the first save", async () => {
    expect(await loadRecommendationSettings(sql, shopId)).toEqual({
      settings: DEFAULT_RECOMMENDATION_SETTINGS,
      version: 0,
    });
  });

  it("stores what was saved, with big ids intact, and moves the version on every save", async () => {
    const settings = {
      excludeOutOfStock: false,
      excludedProductTags: ["Clearance"],
      excludedProductTypes: ["Sample"],
      excludedVendors: ["Acme"],
      pinnedProductIds: ["9007199254740993", "10"],
      blockedProductIds: ["20"],
      maxPerBlock: 5,
    };
    await saveRecommendationSettings(sql, shopId, settings);
    const first = await loadRecommendationSettings(sql, shopId);
    expect(first.settings).toEqual(settings);
    expect(first.version).toBeGreaterThan(0);
    await saveRecommendationSettings(sql, shopId, { ...settings, maxPerBlock: 6 });
    const second = await loadRecommendationSettings(sql, shopId);
    expect(second.settings.maxPerBlock).toBe(6);
    expect(second.version).toBeGreaterThan(first.version);
  });

  it("refuses invalid settings", async () => {
    await expect(
      saveRecommendationSettings(sql, shopId, {
        ...DEFAULT_RECOMMENDATION_SETTINGS,
        maxPerBlock: 40,
      }),
    ).rejects.toThrow();
    expect((await loadRecommendationSettings(sql, shopId)).version).toBe(0);
  });

  it("is erased with the shop (shop/redact lists it; the row cascades)", async () => {
    expect(await listShopScopedTables(sql)).toContainEqual({
      table: "recommendation_settings",
      column: "shop_id",
    });
    await saveRecommendationSettings(sql, shopId, DEFAULT_RECOMMENDATION_SETTINGS);
    await sql.query(`DELETE FROM shop WHERE id = $1`, [shopId]);
    const { rows } = await sql.query(`SELECT 1 FROM recommendation_settings`);
    expect(rows).toEqual([]);
  });
});
