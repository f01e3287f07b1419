import { beforeEach, describe, expect, it } from "vitest";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import {
  collectionTitleQuery,
  refreshCollectionExclusions,
  resolveExcludedCollections,
  saveSettingsResolvingCollections,
  searchCollections,
} from "./collection-exclusions.server";
import { rebuildRecommendationModel } from "./model-store.server";
import { loadServingHeaderFromDatabase } from "./model-reader.server";
import { recommend } from "./recommend.server";
import { DEFAULT_RECOMMENDATION_SETTINGS, editablePart } from "./settings";
import { loadRecommendationSettings } from "./settings-store.server";
import { storeWithProducts } from "./testing/collection-store";
import { seedRecommendationShop } from "./testing/seed-store";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-28T00:00:00Z");
// Beyond 2^53, so a lossy id parse anywhere on the way shows up.
const BIG = 9_007_199_254_740_993n;
const SEEDED = [10n, 20n, 30n, 40n, 50n, 60n, 70n, 80n];
const MANY = Array.from({ length: 600 }, (_, i) => BIG + BigInt(i));

const failing: AdminGraphqlTransport = async () => {
  throw new Error("connection refused");
};

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "collections.myshopify.com" } })).id;
});

const editable = (excludedCollections: Array<{ id: string; title: string }>) => ({
  ...editablePart(DEFAULT_RECOMMENDATION_SETTINGS),
  excludedCollections,
});

describe("resolveExcludedCollections", () => {
  it("pages through a collection's products and unions several collections", async () => {
    const store = storeWithProducts(MANY);
    const large = store.addCollection("Large", MANY);
    const small = store.addCollection("Small", [MANY[0] ?? 0n, MANY[599] ?? 0n]);
    const admin = devstoreAdmin(store, ["read_products"]);
    const pages: Array<string | null> = [];
    const transport: AdminGraphqlTransport = async (document, variables) => {
      const body = await admin.transport(document, variables);
      if (body.data) pages.push((variables?.after as string | null | undefined) ?? null);
      return body;
    };

    const result = await resolveExcludedCollections(
      { transport, options: { sleep: admin.sleep } },
      [
        { id: large.id.toString(), title: "Old title" },
        { id: small.id.toString(), title: "Small" },
      ],
    );
    // 600 products take three pages of 250 (the later ones after a cursor), the small one one.
    expect(pages).toEqual([null, expect.any(String), expect.any(String), null]);
    expect(result.collections).toEqual([
      { id: large.id.toString(), title: "Large" },
      { id: small.id.toString(), title: "Small" },
    ]);
    expect(result.productIds).toHaveLength(600);
    expect(new Set(result.productIds)).toEqual(new Set(MANY.map(String)));
  });

  it("drops a collection that no longer exists", async () => {
    const store = storeWithProducts(SEEDED);
    const kept = store.addCollection("Kept", [20n]);
    const gone = store.addCollection("Gone", [30n]);
    store.deleteCollection(gone.id);
    const { transport } = devstoreAdmin(store, ["read_products"]);

    const result = await resolveExcludedCollections({ transport }, [
      { id: gone.id.toString(), title: "Gone" },
      { id: kept.id.toString(), title: "Kept" },
    ]);
    expect(result).toMatchObject({
      collections: [{ id: kept.id.toString(), title: "Kept" }],
      productIds: ["20"],
    });
  });

  it("waits out throttling", async () => {
    const store = storeWithProducts(SEEDED);
    const collection = store.addCollection("All", SEEDED);
    const admin = devstoreAdmin(store, ["read_products"]);
    admin.bucket.forcedThrottles = 1;
    const result = await resolveExcludedCollections(
      { transport: admin.transport, options: { sleep: admin.sleep } },
      [{ id: collection.id.toString(), title: "All" }],
    );
    expect(result.productIds).toHaveLength(SEEDED.length);
    expect(admin.clock()).toBeGreaterThan(0);
  });
});

describe("searchCollections", () => {
  it("finds collections by words of the title, any case, with their product counts", async () => {
    const store = storeWithProducts(SEEDED);
    store.addCollection("Summer Sale", [10n, 20n]);
    store.addCollection("Winter sale", [30n]);
    store.addCollection("Samples (free)", []);
    const { transport } = devstoreAdmin(store, ["read_products"]);
    const titles = async (text: string) =>
      (await searchCollections({ transport }, text)).map((found) => found.title);

    expect(await titles("SALE")).toEqual(["Summer Sale", "Winter sale"]);
    expect(await titles("sum sale")).toEqual(["Summer Sale"]);
    expect(await titles("(free)")).toEqual(["Samples (free)"]);
    expect((await searchCollections({ transport }, "summer"))[0]?.productsCount).toBe(2);
    expect(await titles("  ")).toEqual([]);
  });

  it("escapes the search syntax's special characters and drops wildcards and quotes", () => {
    expect(collectionTitleQuery(" summer  sale ")).toBe("title:*summer* title:*sale*");
    expect(collectionTitleQuery(`a:b (c) "d*'`)).toBe("title:*a\\:b* title:*\\(c\\)* title:*d*");
    expect(collectionTitleQuery("* ''")).toBe("");
  });
});

describe("excluded collections on the storefront", () => {
  beforeEach(async () => {
    await seedRecommendationShop(sql, shopId, NOW);
    await rebuildRecommendationModel(sql, shopId, NOW);
  });

  const productPage = async () => {
    const { settings } = await loadRecommendationSettings(sql, shopId);
    const result = await recommend(sql, await loadServingHeaderFromDatabase(sql, shopId), {
      shopId,
      customerId: null,
      productId: "10",
      cartProductIds: [],
      limit: 4,
      now: NOW,
      settings,
    });
    return result.products.map((product) => product.id);
  };

  it("never shows a product of an excluded collection, even a pinned one", async () => {
    const store = storeWithProducts(SEEDED);
    const hidden = store.addCollection("Hidden", [20n, 80n]);
    const { transport } = devstoreAdmin(store, ["read_products"]);
    expect(await productPage()).toEqual(["20", "30", "70"]);

    const saved = await saveSettingsResolvingCollections(
      sql,
      shopId,
      { ...editable([{ id: hidden.id.toString(), title: "Hidden" }]), pinnedProductIds: ["80"] },
      { transport },
    );
    expect(saved).toMatchObject({ ok: true, collections: "resolved" });
    const stored = await loadRecommendationSettings(sql, shopId);
    expect(stored.settings.excludedCollectionProductIds.sort()).toEqual(["20", "80"]);
    expect(stored.collectionsResolvedAt).not.toBeNull();
    expect(await productPage()).toEqual(["30", "70"]);
  });

  it("saves the rules when Shopify cannot be asked, keeping the products resolved before", async () => {
    const store = storeWithProducts(SEEDED);
    const hidden = store.addCollection("Hidden", [20n]);
    const { transport } = devstoreAdmin(store, ["read_products"]);
    const collections = [{ id: hidden.id.toString(), title: "Hidden" }];
    await saveSettingsResolvingCollections(sql, shopId, editable(collections), { transport });

    const saved = await saveSettingsResolvingCollections(
      sql,
      shopId,
      { ...editable(collections), maxPerBlock: 2 },
      { transport: failing },
    );
    expect(saved).toMatchObject({ ok: true, collections: "failed" });
    const stored = await loadRecommendationSettings(sql, shopId);
    expect(stored.settings.maxPerBlock).toBe(2);
    expect(stored.settings.excludedCollectionProductIds).toEqual(["20"]);
    expect(await productPage()).toEqual(["30", "70"]);
  });

  it("the daily refresh follows products into and out of collections and drops deleted ones", async () => {
    const store = storeWithProducts(SEEDED);
    const hidden = store.addCollection("Hidden", [20n]);
    const other = store.addCollection("Other", [70n]);
    const { transport, sleep } = devstoreAdmin(store, ["read_products"]);
    await saveSettingsResolvingCollections(
      sql,
      shopId,
      editable([
        { id: hidden.id.toString(), title: "Hidden" },
        { id: other.id.toString(), title: "Other" },
      ]),
      { transport, options: { sleep } },
    );
    const before = await loadRecommendationSettings(sql, shopId);

    store.productsById.get(30n)?.collectionIds.push(hidden.id);
    store.deleteCollection(other.id);
    const domains: string[] = [];
    const excluded = await refreshCollectionExclusions(
      sql,
      shopId,
      async (domain) => {
        domains.push(domain);
        return transport;
      },
      { sleep },
    );
    expect(excluded).toBe(2);
    expect(domains).toEqual(["collections.myshopify.com"]);
    const after = await loadRecommendationSettings(sql, shopId);
    expect(after.settings.excludedCollections).toEqual([
      { id: hidden.id.toString(), title: "Hidden" },
    ]);
    expect(after.settings.excludedCollectionProductIds.sort()).toEqual(["20", "30"]);
    // The storefront's answer cache keys on the version, so it must move.
    expect(after.version).toBeGreaterThan(before.version);
    expect(await productPage()).toEqual(["70"]);
  });

  it("the refresh asks Shopify nothing for a shop without excluded collections", async () => {
    expect(await refreshCollectionExclusions(sql, shopId, async () => failing)).toBeNull();
  });
});
