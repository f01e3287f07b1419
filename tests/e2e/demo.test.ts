import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "~/lib/database-adapter.server";
import { generateStore } from "../devstore/generator/generate-store";
import { compareStoreWithDatabase } from "../devstore/store-vs-database";
import {
  chromiumExecutable,
  desktopContext,
  launchBrowser,
  withFailureScreenshot,
} from "./helpers/browser";
import { startDemo, type RunningDemo } from "./helpers/demo-process";

// `npm run demo` end to end: the real script in its own process, the app embedded in the
// simulated admin in headless Chromium, the storefront with the theme app extension, and after
// Ctrl-C the app's database compared row for row with the simulated store.
const DEMO = { orders: 1500, seed: 4242 };
const chromium = chromiumExecutable();
if (chromium.reason) console.warn(`browser checks skipped: ${chromium.reason}`);

let demo: RunningDemo;
let browser: Browser | undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), "rekindle-demo-"));

beforeAll(async () => {
  demo = await startDemo({ dataDir, ...DEMO });
  if (chromium.path) browser = await launchBrowser(chromium.path);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("prints the admin and storefront URLs", () => {
    expect(demo.output()).toContain(`Admin (app embedded):  ${demo.storeUrl}/admin`);
    expect(demo.output()).toContain(`Storefront:            ${demo.storeUrl}/`);
  });

  it.runIf(chromium.path)(
    "renders the embedded app's dashboard with the synced counts inside the admin frame",
    async () => {
      const page = await (await desktopContext(browser as Browser)).newPage();
      await withFailureScreenshot(page, "admin-dashboard", async () => {
        await page.goto(`${demo.storeUrl}/admin`);
        const app = page.frameLocator("#app-iframe");
        await expect
          .poll(() => app.locator("#overview-orders").textContent(), { timeout: 60_000 })
          .toMatch(/\d/);
        const data = generateStore(DEMO);
        const shown = async (name: string) =>
          Number(((await app.locator(`#overview-${name}`).textContent()) ?? "").replace(/\D/g, ""));
        expect(await shown("customers")).toBe(data.customers.length);
        expect(await shown("orders")).toBe(data.orders.length);
        expect(await shown("products")).toBe(data.products.length);
      });
      await page.context().close();
    },
    120_000,
  );

  it.runIf(chromium.path)(
    "serves storefront pages with the extension's block, and proxies signed requests to the app",
    async () => {
      const page = await (await desktopContext(browser as Browser)).newPage();
      await withFailureScreenshot(page, "storefront-product", async () => {
        const data = generateStore(DEMO);
        const product = data.products.find((p) => p.status === "ACTIVE");
        const proxied: number[] = [];
        page.on("response", (response) => {
          if (response.url().includes("/apps/rekindle/")) proxied.push(response.status());
        });
        await page.goto(`${demo.storeUrl}/products/${product?.handle}`);
        expect(await page.locator("h1").textContent()).toBe(product?.title);
        await expect
          .poll(() => page.locator("rekindle-recommendations").getAttribute("data-product-id"))
          .toBe(product?.id.toString());
        // The app verified the proxy signature (401 otherwise); answers come with issue 8.
        await expect.poll(() => proxied.length, { timeout: 20_000 }).toBeGreaterThan(0);
        expect(proxied.every((status) => status !== 401)).toBe(true);
      });
      await page.context().close();
    },
    120_000,
  );
});

describe("after Ctrl-C", () => {
  it("exits cleanly and leaves a database equal to the simulated store, row for row", async () => {
    await browser?.close();
    browser = undefined;
    expect(await demo.stop()).toBe(0);
    expect(demo.output()).toContain("demo stopped");
    const { sql } = connectDatabase({ pgliteDataDir: path.join(dataDir, "pglite") });
    try {
      const shop = await sql.query<{ id: number }>(`SELECT id FROM shop`);
      expect(shop.rows).toHaveLength(1);
      const { differences, counts } = await compareStoreWithDatabase(
        generateStore(DEMO),
        sql,
        shop.rows[0]?.id ?? 0,
      );
      console.log("demo sync compared:", counts);
      expect(differences.slice(0, 20)).toEqual([]);
    } finally {
      await sql.close();
    }
  }, 120_000);
});
