import { beforeEach, describe, expect, it } from "vitest";
import { rebuildRecommendationModel } from "~/services/recommendations/model-store.server";
import { loadRecommendationSettings } from "~/services/recommendations/settings-store.server";
import { storeDataWithProducts } from "~/services/recommendations/testing/collection-store";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { simulatedStoreForFile } from "../helpers/simulated-store";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader as searchLoader } from "~/routes/app.collection-search";
import {
  loader as settingsLoader,
  action as settingsAction,
} from "~/routes/app.recommendation-settings";

// The settings page and the collection search behind real embedded-admin authentication, with
// the shop's Admin API calls rerouted to the simulated store holding the collections.
const { sql, prisma } = await migratedTestDatabase();
// Imported once the tables exist: the session storage looks for its table when it loads.

const store = simulatedStoreForFile({
  data: storeDataWithProducts([10n, 20n, 30n, 40n, 50n, 60n, 70n, 80n], TEST_SHOP),
  scopes: "read_customers,write_customers,read_orders,read_products",
  prepare: (server) => {
    server.store.addCollection("Summer sale", [20n, 80n]);
    server.store.addCollection("Winter sale", [30n]);
    server.store.addCollection("Staff picks", [10n]);
  },
});
let shopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession({ scope: store.app.scopes, accessToken: store.accessToken });
});

const request = embeddedAdminRequest;

const search = async (q: string) =>
  searchLoader({
    request: await request(`/app/collection-search?q=${encodeURIComponent(q)}`),
    params: {},
    context: {},
  });

const idOf = (title: string) =>
  store.server.store.data.collections
    .find((collection) => collection.title === title)
    ?.id.toString();

describe("excluded collections on the settings page", () => {
  it("searches the shop's collections by title through the Admin API", async () => {
    const found = await search("SALE");
    expect(found.failed).toBe(false);
    expect(found.collections).toEqual([
      { id: idOf("Summer sale"), title: "Summer sale", productsCount: 2 },
      { id: idOf("Winter sale"), title: "Winter sale", productsCount: 1 },
    ]);
    expect((await search("")).collections).toEqual([]);
  });

  it("saves the chosen collections with their products, and the page shows how many", async () => {
    await seedRecommendationShop(sql, shopId, new Date());
    await rebuildRecommendationModel(sql, shopId);
    const result = await settingsAction({
      request: await request("/app/recommendation-settings", {
        excludeOutOfStock: "true",
        excludedProductTags: "",
        excludedProductTypes: "",
        excludedVendors: "",
        pinnedProductIds: "80",
        blockedProductIds: "",
        excludedCollections: JSON.stringify([{ id: idOf("Summer sale"), title: "Summer sale" }]),
        maxPerBlock: "8",
      }),
      params: {},
      context: {},
    });
    expect(result).toEqual({ ok: true, errors: {}, collectionsResolved: true });
    const { settings } = await loadRecommendationSettings(sql, shopId);
    expect(settings.excludedCollectionProductIds.sort()).toEqual(["20", "80"]);

    const page = await settingsLoader({
      request: await request("/app/recommendation-settings"),
      params: {},
      context: {},
    });
    expect(page.settings.excludedCollections).toEqual([
      { id: idOf("Summer sale"), title: "Summer sale" },
    ]);
    expect(page.collectionProducts).toBe(2);
    expect(page.collectionsResolvedAt).not.toBeNull();
    expect(page.settings).not.toHaveProperty("excludedCollectionProductIds");
  });

  it("shows a broken collection list as an error on its field and saves nothing", async () => {
    const result = await settingsAction({
      request: await request("/app/recommendation-settings", {
        excludedCollections: "[{",
        maxPerBlock: "8",
      }),
      params: {},
      context: {},
    });
    expect((result as Response).status).toBe(422);
    expect(await formAnswer(result)).toMatchObject({
      ok: false,
      errors: { excludedCollections: { key: "fieldErrors.collectionList" } },
    });
    expect((await loadRecommendationSettings(sql, shopId)).version).toBe(0);
  });
});
