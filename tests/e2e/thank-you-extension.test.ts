import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildThankYouExtension,
  THANK_YOU_EXTENSION_DIR,
  UI_EXTENSION_GZIP_LIMIT,
  type ExtensionBundle,
} from "../../scripts/build-thank-you-extension";
import { chromiumExecutable, launchBrowser } from "./helpers/browser";
import { runChild } from "../helpers/run-child";
import { REPO_ROOT } from "../helpers/shared-data";

// The Thank you page block (checkout UI extension) cannot be built by the Shopify CLI offline,
// so it is built here as the CLI builds it, typechecked against Shopify's own API types, and
// run in Chromium with the `shopify` global its target provides, answering its request to the
// app as app/routes/api.thank-you-recommendations.tsx does.
const chromium = chromiumExecutable();
if (chromium.reason) console.warn(`thank-you extension render check skipped: ${chromium.reason}`);

const APP_ENDPOINT = "https://rekindle.example.com/api/thank-you-recommendations";
const PRODUCTS = [1, 2, 3, 4].map((n) => ({
  id: String(n),
  title: `Product ${n}`,
  url: `/products/product-${n}`,
  price: { amount: `${n}0.00`, currencyCode: "EUR" },
  image: null,
}));

/** The `shopify` global of purchase.thank-you.block.render, with an order of products 7, 8, 7. */
const HOST_SCRIPT = `<script type="module">
  const line = (id) => ({ merchandise: { product: { id: "gid://shopify/Product/" + id } } });
  globalThis.shopify = {
    lines: { value: [line("7"), line("8"), line("7")] },
    sessionToken: { get: async () => "checkout-session-token" },
    shop: { storefrontUrl: "https://shop.example/" },
    i18n: {
      translate: (key) => "t:" + key,
      formatCurrency: (amount, options) => amount.toFixed(2) + " " + options.currency,
    },
  };
  const extension = await import("/extension.js");
  await extension.default();
</script>`;

let bundle: ExtensionBundle;
let browser: Browser | undefined;

beforeAll(async () => {
  bundle = await buildThankYouExtension();
  if (chromium.path) browser = await launchBrowser(chromium.path);
});

afterAll(async () => {
  await browser?.close();
});

/** Runs the extension in a blank page with the target's API, the app answering `status`. */
async function renderExtension(status: number): Promise<{ page: Page; asked: URL[] }> {
  if (!browser) throw new Error("no browser");
  const page = await browser.newPage();
  const asked: URL[] = [];
  await page.route(`${APP_ENDPOINT}?*`, async (route) => {
    asked.push(new URL(route.request().url()));
    expect(route.request().headers().authorization).toBe("Bearer checkout-session-token");
    await route.fulfill({
      status,
      contentType: "application/json",
      headers: { "Access-Control-Allow-Origin": "*" },
      body: status === 200 ? JSON.stringify({ products: PRODUCTS }) : '{"error":"failed"}',
    });
  });
  // The page loads the bundle as a module after defining the target's API, as the host does.
  await page.route("https://checkout.example/extension.js", (route) =>
    route.fulfill({ contentType: "text/javascript", body: bundle.code }),
  );
  await page.route("https://checkout.example/", (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><body></body>${HOST_SCRIPT}` }),
  );
  await page.goto("https://checkout.example/");
  return { page, asked };
}

describe("the Thank you page extension", () => {
  it("typechecks against Shopify's UI extension types", async () => {
    const result = await runChild(path.join(REPO_ROOT, "node_modules/.bin/tsc"), [
      "-p",
      THANK_YOU_EXTENSION_DIR,
    ]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("bundles within Shopify's limit for UI extensions", () => {
    console.log(`thank-you extension bundle: ${bundle.bytes} B, ${bundle.gzipBytes} B gzip`);
    expect(bundle.gzipBytes).toBeLessThan(UI_EXTENSION_GZIP_LIMIT);
  });

  it.runIf(chromium.path)(
    "asks the app once for the order's products and shows three recommendations",
    async () => {
      const { page, asked } = await renderExtension(200);
      await page.waitForSelector("s-link");
      expect(asked).toHaveLength(1);
      expect(asked[0]?.searchParams.get("product_ids")).toBe("7,8");
      expect(await page.locator("s-section").getAttribute("heading")).toBe("t:heading");
      const links = await page
        .locator("s-link")
        .evaluateAll((nodes) => nodes.map((node) => [node.getAttribute("href"), node.textContent]));
      expect(links).toEqual([
        ["https://shop.example/products/product-1", "Product 110.00 EUR"],
        ["https://shop.example/products/product-2", "Product 220.00 EUR"],
        ["https://shop.example/products/product-3", "Product 330.00 EUR"],
      ]);
      await page.close();
    },
  );

  it.runIf(chromium.path)("shows nothing when the app cannot answer", async () => {
    const { page, asked } = await renderExtension(500);
    await expect.poll(() => asked.length).toBe(1);
    await expect.poll(() => page.locator("s-skeleton-paragraph").count()).toBe(0);
    expect(await page.locator("s-section, s-link, s-image").count()).toBe(0);
    await page.close();
  });
});
