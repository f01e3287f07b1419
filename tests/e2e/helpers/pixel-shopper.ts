import type { Page } from "playwright-core";
import type { ShopperEvent } from "../../../extensions/rekindle-pixel/src/shopper-event";

export type { ShopperEvent };

/** Where a shopper goes in the simulated storefront. */
export interface StorefrontVisit {
  productHandle: string;
  collectionHandle: string;
  searchWord: string;
}

/**
 * A shopper's visit that publishes each standard event the pixel tracks: a product (added to
 * the cart), a collection, a search and the checkout. After each step `settle` waits for the
 * event it published (a shopper stays a moment on a page; one who leaves at once may leave
 * before the page's pixel has started).
 */
export async function browseStorefront(
  page: Page,
  storeUrl: string,
  visit: StorefrontVisit,
  settle: (event: ShopperEvent["name"]) => Promise<unknown>,
): Promise<void> {
  await page.goto(`${storeUrl}/products/${visit.productHandle}`);
  await settle("product_viewed");
  // The theme's own button (the app's blocks on the page have theirs).
  await page.locator("button[data-add-to-cart]").click();
  await page.locator("[data-cart-status]", { hasText: "Added to cart" }).waitFor();
  await settle("product_added_to_cart");
  await page.goto(`${storeUrl}/collections/${visit.collectionHandle}`);
  await settle("collection_viewed");
  await page.goto(`${storeUrl}/search?q=${encodeURIComponent(visit.searchWord)}`);
  await settle("search_submitted");
  await page.goto(`${storeUrl}/checkout`);
  await settle("checkout_started");
}

/** Long enough for the pixel's batch timer: whatever it would send has gone by then. */
export const dwell = (page: Page) => () => page.waitForTimeout(1500);
