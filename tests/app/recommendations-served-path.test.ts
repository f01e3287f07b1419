import { afterEach, describe, expect, it, vi } from "vitest";
import { rebuildRecommendationModel } from "~/services/recommendations/model-store.server";
import { servingModelHeaders } from "~/services/recommendations/model-reader.server";
import { PLACEMENT_ENTRIES, type Placement } from "~/services/recommendations/model/placements";
import { indexPurchases } from "~/services/recommendations/model/purchase-index";
import { trainRecommender } from "~/services/recommendations/model/training";
import { basket } from "~/services/recommendations/model/test-purchases";
import { seedRecommendationShop } from "~/services/recommendations/testing/seed-store";
import { anonymousAnswers } from "~/services/storefront/recommendations-endpoint.server";
import { TEST_SHOP, signedProxyUrl } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { loader } from "~/routes/proxy.$";

const { sql, prisma } = await migratedTestDatabase();

/** Calls to each placement's entry, wherever they come from. */
function spyOnEntries() {
  const entries = PLACEMENT_ENTRIES as Record<Placement, (typeof PLACEMENT_ENTRIES)[Placement]>;
  return Object.fromEntries(
    (Object.keys(entries) as Placement[]).map((placement) => [
      placement,
      vi.spyOn(entries, placement),
    ]),
  ) as Record<Placement, ReturnType<typeof vi.spyOn>>;
}

afterEach(() => vi.restoreAllMocks());

describe("one path per placement", () => {
  it("the app proxy and the offline evaluation call the same entry function", async () => {
    await truncateAppTables();
    anonymousAnswers.clear();
    servingModelHeaders.clear();
    const shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
    await seedRecommendationShop(sql, shopId, new Date());
    await rebuildRecommendationModel(sql, shopId);

    const spies = spyOnEntries();
    const url = signedProxyUrl("/proxy/recommendations", {
      shop: TEST_SHOP,
      logged_in_customer_id: "",
      product_id: "10",
      context: "product",
    });
    const response = await loader({
      request: new Request(url),
      params: { "*": "recommendations" },
      context: {},
    });
    expect(response.status).toBe(200);
    expect(spies.product_page).toHaveBeenCalledTimes(1);

    const purchases = ["1", "2", "3"].flatMap((c) => [
      ...basket(c, `${c}a`, 0, ["A", "B"]),
      ...basket(c, `${c}b`, 10, ["A", "C"]),
      ...basket(c, `${c}c`, 20, ["B", "C"]),
    ]);
    trainRecommender(indexPurchases(purchases));
    // The evaluation scored the three held-out two-product orders through the same function.
    expect(spies.product_page).toHaveBeenCalledTimes(1 + 3);
    for (const placement of ["for_you", "lifecycle", "cart"] as const) {
      expect(spies[placement]).toHaveBeenCalled();
    }
  });
});
