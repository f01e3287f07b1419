import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "~/lib/database-adapter.server";
import { readDemoStoreEndDate } from "../../scripts/demo-store-date";
import { generateStore } from "../devstore/generator/generate-store";
import { chromiumExecutable, desktopContext, launchBrowser } from "./helpers/browser";
import { browseStorefront, dwell, type ShopperEvent } from "./helpers/pixel-shopper";
import { startDemo, type RunningDemo } from "./helpers/demo-process";

// `npm run demo` with its web pixel: the install activated the pixel on the simulated store
// (webPixelCreate), a shopper browsing the storefront in Chromium sends its batches to the
// app's /pixel/events only once they accepted the store's consent banner, and after Ctrl-C
// the app's pixel_event rows are those events, with their names and ids.
const DEMO = { orders: 300, seed: 4343 };
const chromium = chromiumExecutable();
if (chromium.reason) console.warn(`web pixel demo checks skipped: ${chromium.reason}`);

const dataDir = mkdtempSync(path.join(tmpdir(), "rekindle-pixel-demo-"));
let demo: RunningDemo;
let browser: Browser | undefined;
/** Every event any shopper's page sent, by id, and the app's answers to the batches. */
const everySent = new Map<string, ShopperEvent>();
const answers: number[] = [];

beforeAll(async () => {
  demo = await startDemo({ dataDir, ...DEMO, timeoutMs: 420_000 });
  if (chromium.path) browser = await launchBrowser(chromium.path);
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function demoStore() {
  const endDate = readDemoStoreEndDate(dataDir);
  if (!endDate) throw new Error(`the demo kept no store end date in ${dataDir}`);
  return generateStore({ ...DEMO, endDate });
}

/** A shopper's browser, and every batch its pages send to the app's ingest endpoint. */
async function shopper(): Promise<{ context: BrowserContext; page: Page; sent: ShopperEvent[] }> {
  if (!browser) throw new Error("no browser");
  const context = await desktopContext(browser);
  const sent: ShopperEvent[] = [];
  const ingest = `${demo.appUrl}/pixel/events`;
  context.on("request", (request: Request) => {
    if (request.url() !== ingest || request.method() !== "POST") return;
    const batch = JSON.parse(request.postData() ?? "{}") as { events?: ShopperEvent[] };
    for (const event of batch.events ?? []) {
      if (!sent.some((known) => known.id === event.id)) sent.push(event);
      everySent.set(event.id, event);
    }
    // (A batch still in flight when the test closes the shopper's browser has no answer.)
    void request
      .response()
      .then((response) => response && answers.push(response.status()))
      .catch(() => undefined);
  });
  return { context, page: await context.newPage(), sent };
}

const names = (sent: ShopperEvent[]) => sent.map((event) => event.name);

/** A product in stock and one of its collections, from the demo's generated store. */
function browsable() {
  const data = demoStore();
  const product = data.products.find(
    (p) =>
      p.status === "ACTIVE" &&
      p.collectionIds.length > 0 &&
      p.variants.some((v) => v.inventoryQuantity > 0),
  );
  const collection = data.collections.find((c) => c.id === product?.collectionIds[0]);
  if (!product || !collection) throw new Error("no product in stock in a collection");
  const word = product.title.split(" ")[0] ?? "";
  const visit = {
    productHandle: product.handle,
    collectionHandle: collection.handle,
    searchWord: word,
  };
  return { product, collection, word, data, visit };
}

describe.runIf(chromium.path)("the demo's web pixel", () => {
  it("sends no batch to the app while the shopper has not consented, nor after a decline", async () => {
    const { context, page, sent } = await shopper();
    const { visit } = browsable();
    await browseStorefront(page, demo.storeUrl, visit, dwell(page));
    await page.getByRole("button", { name: "Decline" }).click();
    await browseStorefront(page, demo.storeUrl, visit, dwell(page));
    expect(sent).toEqual([]);
    await context.close();
  }, 90_000);

  it("after Accept, sends the product, add-to-cart, collection, search and checkout events with their ids", async () => {
    const { context, page, sent } = await shopper();
    const { product, collection, word, visit } = browsable();
    await page.goto(`${demo.storeUrl}/`);
    await page.getByRole("button", { name: "Accept" }).click();
    await browseStorefront(page, demo.storeUrl, visit, (event) =>
      expect.poll(() => names(sent), { timeout: 15_000 }).toContain(event),
    );
    expect(names(sent)).toEqual([
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
    const variant = product.variants.find((v) => v.inventoryQuantity > 0);
    const byName = (name: string) => sent.find((event) => event.name === name);
    expect(byName("product_viewed")).toMatchObject({ productId: product.id.toString() });
    expect(byName("product_added_to_cart")).toMatchObject({
      productId: product.id.toString(),
      variantId: variant?.id.toString(),
    });
    expect(byName("collection_viewed")).toMatchObject({ collectionId: collection.id.toString() });
    expect(byName("search_submitted")).toMatchObject({ query: word });
    for (const event of sent) {
      expect(event.consent).toEqual({ analytics: true, marketing: true });
      expect(event.customerId).toBeUndefined();
    }
    await context.close();
  }, 90_000);

  it("a signed-in shopper's events carry their customer id", async () => {
    const { context, page, sent } = await shopper();
    const customer = browsable().data.customers[0];
    await page.goto(`${demo.storeUrl}/account/login?customer_id=${customer?.id}`);
    await page.getByRole("button", { name: "Accept" }).click();
    await page.goto(`${demo.storeUrl}/products/${browsable().product.handle}`);
    await expect.poll(() => names(sent), { timeout: 15_000 }).toContain("product_viewed");
    expect(sent.map((event) => event.customerId)).toEqual(sent.map(() => customer?.id.toString()));
    await context.close();
  }, 60_000);
});

describe.runIf(chromium.path)("after Ctrl-C", () => {
  it("the app stored exactly the events the pages sent, with their names and ids", async () => {
    expect(everySent.size).toBeGreaterThan(0);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((status) => status === 204)).toBe(true);
    await browser?.close();
    browser = undefined;
    expect(await demo.stop()).toBe(0);
    const { sql } = connectDatabase({ pgliteDataDir: path.join(dataDir, "pglite") });
    try {
      const { rows } = await sql.query<{
        event_id: string;
        name: string;
        client_id: string;
        customer_id: string | null;
        product_id: string | null;
        variant_id: string | null;
        collection_id: string | null;
        search_query: string | null;
        marketing_consent: boolean;
      }>(
        `SELECT event_id, name, client_id, customer_id::text, product_id::text, variant_id::text,
                collection_id::text, search_query, marketing_consent
         FROM pixel_event WHERE event_id NOT LIKE 'gen-%' ORDER BY occurred_at, event_id`,
      );
      // The demo's generated browsing (ids "gen-…", tests/devstore/generator/browsing.ts) is
      // left out: only what these pages sent is compared.
      const stored = new Map(rows.map((row) => [row.event_id, row]));
      // Nothing the declined or undecided visitor did, nothing twice, nothing missing.
      expect([...stored.keys()].sort()).toEqual([...everySent.keys()].sort());
      for (const [id, event] of everySent) {
        expect(stored.get(id), id).toEqual({
          event_id: id,
          name: event.name,
          client_id: event.clientId,
          customer_id: event.customerId ?? null,
          product_id: event.productId ?? null,
          variant_id: event.variantId ?? null,
          collection_id: event.collectionId ?? null,
          search_query: event.query ?? null,
          marketing_consent: true,
        });
      }
      const names = new Set(rows.map((row) => row.name));
      for (const name of [
        "product_viewed",
        "product_added_to_cart",
        "collection_viewed",
        "search_submitted",
      ]) {
        expect(names.has(name), name).toBe(true);
      }
      expect(rows.some((row) => row.customer_id !== null)).toBe(true);
    } finally {
      await sql.close();
    }
  }, 120_000);
});
