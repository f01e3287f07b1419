import { beforeEach, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { servingCatalogue, servingCatalogueReader } from "./catalogue.server";
import { loadShopperSignals } from "./customer-signals.server";
import { rebuildRecommendationModel } from "./model-store.server";
import {
  loadModelHeader,
  loadNeighbourSets,
  loadServingHeaderFromDatabase,
  servingNeighbourSetReader,
  servingNeighbourSets,
} from "./model-reader.server";
import { BESTSELLER_POLICY } from "./model/placements";
import {
  clampLimit,
  loadKnownShoppers,
  recommend,
  type RecommendationRequest,
} from "./recommend.server";
import { DEFAULT_RECOMMENDATION_SETTINGS, type RecommendationSettings } from "./settings";
import { insertProducts } from "./testing/catalogue-rows";
import { insertPixelEvents } from "~/services/behaviour/testing/pixel-rows";
import { seedRecommendationShop } from "./testing/seed-store";
import { serveWithPolicy } from "./testing/serving-policy";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-28T00:00:00Z");

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "rec.myshopify.com" } })).id;
});

async function ask(overrides: Partial<RecommendationRequest>) {
  const request = {
    shopId,
    customerId: null,
    productId: null,
    cartProductIds: [],
    limit: 4,
    now: NOW,
    ...overrides,
  };
  const result = await recommend(sql, await loadServingHeaderFromDatabase(sql, shopId), request);
  return {
    placement: result.placement,
    source: result.source,
    ids: result.products.map((product) => product.id),
  };
}

const requestFor = (customerId: bigint): RecommendationRequest => ({
  shopId,
  customerId,
  productId: null,
  cartProductIds: [],
  limit: 4,
  now: NOW,
});

describe("recommend", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
  });

  it("serves bestsellers everywhere when the shop is too small for training to beat them", async () => {
    const header = await loadModelHeader(sql, shopId);
    expect(header?.policy).toEqual(BESTSELLER_POLICY);
    // 10 is in 11 orders, 20 in 7, 30 in 5; 40-60 cannot be shown; 70 is a new arrival.
    expect(await ask({})).toEqual({
      placement: "for_you",
      source: "popular",
      ids: ["10", "20", "30", "70"],
    });
  });

  it("shows a product's neighbours, never itself, sold-out, draft or gift card products", async () => {
    await serveWithPolicy(sql, shopId, { product_page: { contextKnn: 1, popularity: 0.01 } });
    // 10's neighbours are 20, 30, 40 (sold out), 50 (draft), 60 (gift card); 70 fills the block.
    expect(await ask({ productId: "10" })).toEqual({
      placement: "product_page",
      source: "neighbours",
      ids: ["20", "30", "70"],
    });
  });

  it("merges the cart's neighbours and leaves out the cart", async () => {
    await serveWithPolicy(sql, shopId, { cart: { contextKnn: 1, popularity: 0.01 } });
    const { placement, source, ids } = await ask({ cartProductIds: ["20", "30"] });
    expect([placement, source]).toEqual(["cart", "neighbours"]);
    expect(ids[0]).toBe("10");
    expect(ids).not.toContain("20");
    expect(ids).not.toContain("30");
  });

  it("serves a lapsing customer their stage group's weights: what they used to rebuy first", async () => {
    await serveWithPolicy(sql, shopId, {
      lifecycle_dormant: { ownCount: 1, popularity: 0.01 },
      lifecycle_active: { popularity: 1 },
    });
    const { placement, source, ids } = await ask({ customerId: 7n });
    expect([placement, source]).toEqual(["lifecycle", "repurchase"]);
    expect(ids[0]).toBe("30");
  });

  it("answers an anonymous home page with the for_you weights", async () => {
    await serveWithPolicy(sql, shopId, { for_you: { recentPopularity: 1 } });
    const { placement, source } = await ask({});
    expect([placement, source]).toEqual(["for_you", "trending"]);
  });

  it("GIVEN a guest who browsed WHEN the policy weighs views THEN their browser's views lead, through its client id only", async () => {
    const views = { viewed: 1, viewKnn: 0.2, popularity: 0.01 };
    await serveWithPolicy(sql, shopId, { for_you: views, lifecycle_early: views });
    const view = (
      productId: bigint,
      hoursAgo: number,
      who: { clientId?: string; customerId?: bigint },
    ) => ({
      name: "product_viewed" as const,
      at: new Date(NOW.getTime() - hoursAgo * 3_600_000),
      productId,
      ...who,
    });
    const guest = { clientId: "guest-browser" };
    await insertPixelEvents(sql, shopId, [
      view(80n, 1, guest),
      view(80n, 2, guest),
      view(30n, 3, guest),
      // A customer without orders yet, signed in.
      view(20n, 1, { customerId: 99n }),
    ]);

    expect(await ask({ clientId: "guest-browser" })).toMatchObject({
      placement: "for_you",
      source: "viewed",
      ids: expect.arrayContaining(["80", "30"]),
    });
    expect((await ask({ clientId: "guest-browser" })).ids.slice(0, 2)).toEqual(["80", "30"]);
    expect((await ask({ customerId: 99n })).ids[0]).toBe("20");
    // Another browser's views are not this one's.
    expect(await ask({ clientId: "another-browser" })).toEqual({
      placement: "for_you",
      source: "popular",
      ids: ["10", "20", "30", "70"],
    });
  });

  it("never returns more than the limit", async () => {
    expect((await ask({ limit: 1 })).ids).toHaveLength(1);
  });
});

describe("a logged-in shopper's signals", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
  });

  it("reads the history newest first, the stage, and the sets of bought and anchor products", async () => {
    const signals = await loadShopperSignals(sql, shopId, 7n, ["10"]);
    expect(signals.stage).toBe("lapsing");
    expect(signals.history.map((entry) => entry.productId)).toEqual(["30", "20", "30"]);
    expect([...signals.sets.keys()].sort()).toEqual(["10", "20", "30"]);
    expect(signals.sets.get("10")?.knn.map((edge) => edge.productId)).toContain("20");
  });

  it("reads a customer without orders or metrics as a prospect with no history", async () => {
    const signals = await loadShopperSignals(sql, shopId, 99n, []);
    expect(signals).toEqual({ stage: "prospect", history: [], sets: new Map() });
  });
});

describe("signals read ahead for a batch of customers (a flow worker's)", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
  });

  it("GIVEN customers with purchases, views or neither WHEN their signals are read ahead together THEN each gets what a request reading alone gets, without reading again", async () => {
    // GIVEN a policy weighing views in every stage, and views of a buyer and of a new customer
    const views = { viewed: 1, viewKnn: 0.2, repurchase: 0.5, itemKnn: 0.5, popularity: 0.01 };
    await serveWithPolicy(sql, shopId, {
      lifecycle_early: views,
      lifecycle_active: views,
      lifecycle_dormant: views,
    });
    const viewed = (productId: bigint, customerId: bigint, hoursAgo: number) => ({
      name: "product_viewed" as const,
      at: new Date(NOW.getTime() - hoursAgo * 3_600_000),
      productId,
      customerId,
    });
    await insertPixelEvents(sql, shopId, [viewed(80n, 7n, 2), viewed(20n, 99n, 1)]);
    const header = await loadServingHeaderFromDatabase(sql, shopId);
    const customers = [7n, 99n, 12345n];
    // WHEN their signals and views are read ahead in one go
    const known = await loadKnownShoppers(sql, shopId, customers, {
      now: NOW,
      withViews: true,
      neighbourSets: loadNeighbourSets,
    });
    // THEN each recommendation equals the one read alone, and reads no history or views itself
    const statements: string[] = [];
    const watched: SqlQueryable = {
      query: (text, values) => {
        statements.push(text);
        return sql.query(text, values);
      },
      exec: (text) => sql.exec(text),
    };
    for (const customerId of customers) {
      const request = { ...requestFor(customerId), known: known.get(customerId.toString()) };
      expect(await recommend(watched, header, request)).toEqual(
        await recommend(sql, header, requestFor(customerId)),
      );
    }
    expect(statements.filter((text) => /order_line|pixel_event/.test(text))).toEqual([]);
    expect(known.get("7")?.signals.history.map((entry) => entry.productId)).toEqual([
      "30",
      "20",
      "30",
    ]);
    expect(known.get("7")?.views?.map((view) => view.productId)).toEqual(["80"]);
    expect(known.get("99")?.views?.map((view) => view.productId)).toEqual(["20"]);
    expect(known.get("12345")).toEqual({
      signals: { stage: "prospect", history: [], sets: new Map() },
      views: [],
    });
  });
});

describe("recommend through the storefront's cached readers", () => {
  beforeEach(async () => {
    servingCatalogue.clear();
    servingNeighbourSets.clear();
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
    await serveWithPolicy(sql, shopId, { product_page: { contextKnn: 1, popularity: 0.01 } });
  });

  /** The database, counting the statements sent to it. */
  const counted = () => {
    const statements: string[] = [];
    const counting: SqlQueryable = {
      query: (text, params) => {
        statements.push(text);
        return sql.query(text, params);
      },
      exec: (text) => sql.exec(text),
    };
    return { statements, counting };
  };

  it("answers a repeat from memory, the same as a direct read, until the model is rebuilt", async () => {
    const request: RecommendationRequest = {
      shopId,
      customerId: null,
      productId: "10",
      cartProductIds: [],
      // Filled without new arrivals, which are read fresh when a block is short.
      limit: 2,
      now: NOW,
    };
    const header = await loadServingHeaderFromDatabase(sql, shopId);
    const readers = {
      catalogue: servingCatalogueReader(header.builtAt),
      neighbourSets: servingNeighbourSetReader(header.builtAt),
    };
    const direct = await recommend(sql, header, request);
    const { statements, counting } = counted();
    const first = await recommend(counting, header, request, readers);
    const reads = statements.length;
    const repeat = await recommend(counting, header, request, readers);
    expect(first).toEqual(direct);
    expect(repeat).toEqual(direct);
    expect(reads).toBeGreaterThan(0);
    expect(statements).toHaveLength(reads);

    expect(direct.products.map((product) => product.id)).toEqual(["20", "30"]);
    await sql.query(`UPDATE product SET status = 'archived' WHERE shop_id = $1 AND id = 20`, [
      shopId,
    ]);
    await rebuildRecommendationModel(sql, shopId, new Date(NOW.getTime() + 1000));
    const rebuilt = await loadServingHeaderFromDatabase(sql, shopId);
    const afterRebuild = await recommend(counting, rebuilt, request, {
      catalogue: servingCatalogueReader(rebuilt.builtAt),
      neighbourSets: servingNeighbourSetReader(rebuilt.builtAt),
    });
    expect(statements.length).toBeGreaterThan(reads);
    expect(afterRebuild.products.map((product) => product.id)).not.toContain("20");
  });
});

describe("recommend with the merchant's settings", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
  });
  const withSettings = (settings: Partial<RecommendationSettings>, limit = 4) =>
    ask({ productId: "10", limit, settings: { ...DEFAULT_RECOMMENDATION_SETTINGS, ...settings } });

  it("leaves out products with an excluded tag, product type or vendor, case-insensitively", async () => {
    await sql.query(`UPDATE product SET tags = '{Clearance}' WHERE shop_id = $1 AND id = 20`, [
      shopId,
    ]);
    await sql.query(`UPDATE product SET vendor = 'Acme', product_type = 'Sample' WHERE id = 30`);
    expect((await withSettings({ excludedProductTags: ["clearance"] })).ids).toEqual(["30", "70"]);
    expect((await withSettings({ excludedVendors: ["ACME"] })).ids).toEqual(["20", "70"]);
    expect((await withSettings({ excludedProductTypes: ["sample"] })).ids).toEqual(["20", "70"]);
  });

  it("never shows a blocked product", async () => {
    expect((await withSettings({ blockedProductIds: ["30"] })).ids).toEqual(["20", "70"]);
  });

  it("shows pinned products first, in pin order, skipping sold-out ones and the viewed product", async () => {
    expect(await withSettings({ pinnedProductIds: ["10", "80", "40", "70"] })).toEqual({
      placement: "product_page",
      source: "pinned",
      ids: ["80", "70", "20", "30"],
    });
  });

  it("lets a block win over a pin", async () => {
    const { ids } = await withSettings({ pinnedProductIds: ["80"], blockedProductIds: ["80"] });
    expect(ids).toEqual(["20", "30", "70"]);
  });

  it("skips a sold-out pin even when out-of-stock products may be shown", async () => {
    const { ids } = await withSettings({ pinnedProductIds: ["40"], excludeOutOfStock: false });
    // 40 is shown in its scored place (third bestseller), not first.
    expect(ids).toEqual(["20", "30", "40", "70"]);
  });

  it("caps the block at maxPerBlock whatever limit the theme asks for", async () => {
    expect((await withSettings({ maxPerBlock: 2 }, 12)).ids).toEqual(["20", "30"]);
    expect((await withSettings({ pinnedProductIds: ["80"], maxPerBlock: 1 })).ids).toEqual(["80"]);
  });
});

describe("recommend without a model", () => {
  it("serves the last 90 days' bestsellers from the orders", async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    const { placement, source, ids } = await ask({ productId: "70" });
    expect([placement, source]).toEqual(["product_page", "popular"]);
    // 30 was bought 5 days ago, 10 and 20 40 days ago: all inside the window, by order count.
    expect(ids.slice(0, 3)).toEqual(["10", "20", "30"]);
  });

  it("falls back to new arrivals when there are no orders either", async () => {
    await insertProducts(sql, shopId, [
      { id: 1n, createdAt: new Date("2026-11-20T00:00:00Z") },
      { id: 2n, createdAt: new Date("2026-11-25T00:00:00Z") },
      { id: 3n, createdAt: new Date("2025-01-01T00:00:00Z") },
    ]);
    expect(await ask({ productId: "1" })).toEqual({
      placement: "product_page",
      source: "new_arrival",
      ids: ["2"],
    });
  });
});

describe("clampLimit", () => {
  it("keeps the limit within 1..12", () => {
    expect([0, 1, 4.4, 12, 99, NaN].map(clampLimit)).toEqual([1, 1, 4, 12, 12, 4]);
  });
});
