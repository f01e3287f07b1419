import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pixelShopKey } from "~/services/behaviour/pixel-shop-key.server";
import { FIXED_END_DATE, generateStore } from "../devstore/generator/generate-store";
import { startDevStoreServer, type DevStoreServer } from "../devstore/server";
import { ShopperCarts } from "../devstore/storefront/carts";
import { checkoutRoutes } from "../devstore/storefront/checkout-routes";
import { storefrontRoutes } from "../devstore/storefront/storefront-routes";
import { webPixelsRoutes } from "../devstore/storefront/web-pixels/web-pixels-routes";
import { chromiumExecutable, desktopContext, launchBrowser } from "./helpers/browser";
import { browseStorefront, dwell, type ShopperEvent } from "./helpers/pixel-shopper";

// The app's web pixel bundle in the simulated storefront's pixel runtime, in Chromium: what the
// page sends to the ingest URL of the pixel's settings, with and without the visitor's consent.
// (tests/e2e/web-pixel-demo.test.ts follows the batches into the app's database.)
const chromium = chromiumExecutable();
if (chromium.reason) console.warn(`web pixel storefront checks skipped: ${chromium.reason}`);

const INGEST_URL = "https://rekindle-app.example/pixel/events";
const app = { apiKey: "pixel-e2e", secret: "pixel-e2e-secret", scopes: "write_pixels" };
const data = generateStore({ seed: 21, orders: 200, endDate: FIXED_END_DATE });
let server: DevStoreServer;
let browser: Browser | undefined;

interface Batch {
  v: number;
  shop: string;
  key: string;
  events: ShopperEvent[];
}

beforeAll(async () => {
  server = await startDevStoreServer({ data, app, appUrl: "http://127.0.0.1:9" });
  const carts = new ShopperCarts();
  server.addRoute(
    storefrontRoutes({ store: server.store, appUrl: "http://127.0.0.1:9", app, carts }),
  );
  server.addRoute(checkoutRoutes(server.store, carts));
  server.addRoute(webPixelsRoutes());
  // What the app's install does (tests/app/install-web-pixel.test.ts covers that part).
  const created = server.store.webPixel.resolvers().webPixelCreate(
    {
      webPixel: {
        settings: JSON.stringify({
          ingestUrl: INGEST_URL,
          shop: server.store.shop.domain,
          shopKey: pixelShopKey(app.secret, server.store.shop.domain),
        }),
      },
    },
    { bulk: false, scopes: ["write_pixels", "read_customer_events"] },
  );
  expect(created.userErrors).toEqual([]);
  if (chromium.path) browser = await launchBrowser(chromium.path);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A shopper's browser whose requests to the ingest URL are answered here and kept. */
async function shopper(): Promise<{ context: BrowserContext; page: Page; batches: Batch[] }> {
  if (!browser) throw new Error("no browser");
  const context = await desktopContext(browser);
  const batches: Batch[] = [];
  await context.route(INGEST_URL, async (route) => {
    const request = route.request();
    if (request.method() === "POST") batches.push(JSON.parse(request.postData() ?? "{}"));
    await route.fulfill({ status: 204, headers: { "Access-Control-Allow-Origin": "*" } });
  });
  return { context, page: await context.newPage(), batches };
}

const product = () => {
  const found = data.products.find(
    (p) => p.status === "ACTIVE" && p.variants.some((v) => v.inventoryQuantity > 0),
  );
  if (!found) throw new Error("no product in stock");
  return found;
};
const collection = () => {
  const found = data.collections.find((c) =>
    data.products.some((p) => p.status === "ACTIVE" && p.collectionIds.includes(c.id)),
  );
  if (!found) throw new Error("no collection with products");
  return found;
};

const searchWord = () => product().title.split(" ")[0] ?? "";
const visit = () => ({
  productHandle: product().handle,
  collectionHandle: collection().handle,
  searchWord: searchWord(),
});

/**
 * The events as the ingest stores them: once per id. (A batch still queued when a page is left
 * is sent by the next page's pixel, and may have gone out already.)
 */
const eventsOf = (batches: Batch[]) => [
  ...new Map(batches.flatMap((batch) => batch.events.map((e) => [e.id, e] as const))).values(),
];
const names = (batches: Batch[]) => eventsOf(batches).map((event) => event.name);

describe.runIf(chromium.path)("the web pixel in the simulated storefront", () => {
  it("sends nothing before consent nor after a decline", async () => {
    const { context, page, batches } = await shopper();
    // WHEN a visitor browses without answering the banner
    await browseStorefront(page, server.url, visit(), dwell(page));
    // THEN no batch left the page
    expect(batches).toEqual([]);
    // WHEN they decline and go on browsing
    await page.getByRole("button", { name: "Decline" }).click();
    await browseStorefront(page, server.url, visit(), dwell(page));
    // THEN still nothing, and the banner is not shown again
    expect(batches).toEqual([]);
    expect(await page.getByRole("region", { name: "Cookie consent" }).count()).toBe(0);
    await context.close();
  });

  it("after accepting, sends every page's events in batches with the ids and both consent flags", async () => {
    const { context, page, batches } = await shopper();
    await page.goto(`${server.url}/`);
    // Events of the page before the answer are not sent afterwards.
    await page.waitForTimeout(1200);
    await page.getByRole("button", { name: "Accept" }).click();
    await browseStorefront(page, server.url, visit(), (event) =>
      expect.poll(() => names(batches), { timeout: 10_000 }).toContain(event),
    );
    const item = product();
    const events = eventsOf(batches);
    expect(names(batches)).toEqual([
      "page_viewed",
      "product_viewed",
      "product_added_to_cart",
      "page_viewed",
      "collection_viewed",
      "page_viewed",
      "search_submitted",
      "page_viewed",
      "checkout_started",
    ]);
    for (const batch of batches) {
      expect(batch).toMatchObject({
        v: 1,
        shop: server.store.shop.domain,
        key: pixelShopKey(app.secret, server.store.shop.domain),
      });
      expect(batch.events.length).toBeLessThanOrEqual(100);
    }
    const variant = item.variants.find((v) => v.inventoryQuantity > 0);
    expect(events.find((e) => e.name === "product_viewed")).toMatchObject({
      productId: item.id.toString(),
      path: `/products/${item.handle}`,
    });
    expect(events.find((e) => e.name === "product_added_to_cart")).toMatchObject({
      productId: item.id.toString(),
      variantId: variant?.id.toString(),
    });
    expect(events.find((e) => e.name === "collection_viewed")).toMatchObject({
      collectionId: collection().id.toString(),
    });
    expect(events.find((e) => e.name === "search_submitted")).toMatchObject({
      query: searchWord(),
    });
    const clientIds = new Set(events.map((e) => e.clientId));
    expect(clientIds.size).toBe(1);
    for (const event of events) {
      expect(event.consent).toEqual({ analytics: true, marketing: true });
      expect(event.customerId).toBeUndefined();
      expect(Date.parse(String(event.at))).not.toBeNaN();
    }
    await context.close();
  });

  it("the order status page sends checkout_completed with the order's customer", async () => {
    const { context, page, batches } = await shopper();
    const customer = data.customers[1];
    // GIVEN a shopper who consented, signed in and has a product in the cart
    await page.goto(`${server.url}/account/login?customer_id=${customer?.id}`);
    await page.getByRole("button", { name: "Accept" }).click();
    await page.goto(`${server.url}/products/${product().handle}`);
    await page.locator("button[data-add-to-cart]").click();
    await page.locator("[data-cart-status]", { hasText: "Added to cart" }).waitFor();
    // WHEN they place the order at the checkout
    await page.goto(`${server.url}/checkout`);
    await page.getByRole("button", { name: "Place order" }).click();
    await page.locator("[data-order-placed]").waitFor();
    // THEN the order status page's event names the customer the order was placed for
    await expect.poll(() => names(batches), { timeout: 10_000 }).toContain("checkout_completed");
    const order = server.store.data.orders.at(-1);
    expect(order?.customerId).toBe(customer?.id);
    expect(eventsOf(batches).find((e) => e.name === "checkout_completed")).toMatchObject({
      customerId: customer?.id.toString(),
      path: "/checkout/thank-you",
    });
    await context.close();
  });

  it("a signed-in shopper's events carry the customer id", async () => {
    const { context, page, batches } = await shopper();
    const customer = data.customers[0];
    await page.goto(`${server.url}/account/login?customer_id=${customer?.id}`);
    await page.getByRole("button", { name: "Accept" }).click();
    await page.goto(`${server.url}/products/${product().handle}`);
    await expect.poll(() => names(batches), { timeout: 10_000 }).toContain("product_viewed");
    for (const event of eventsOf(batches)) {
      expect(event.customerId).toBe(customer?.id.toString());
    }
    await context.close();
  });
});
