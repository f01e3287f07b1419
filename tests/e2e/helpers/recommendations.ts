// What the demo's end-to-end tests read from the storefront's recommendation blocks and the
// admin's Recommendations page.
import type { FrameLocator, Locator, Page, Response } from "playwright-core";
import { expect } from "vitest";

/** What a `/recommendations` answer's token says served the list (readable, MAC-covered). */
export interface ServedClaims {
  placement: string;
  method: string;
  arm: string | null;
  visitor: string | null;
}

export interface ServedList {
  requestId: string;
  token: string;
  productIds: string[];
  claims: ServedClaims;
}

export function claimsOf(token: string): ServedClaims {
  const [placement, method, arm, visitor] = JSON.parse(
    Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
  ) as [string, string, string | null, string | null];
  return { placement, method, arm, visitor };
}

/**
 * The next answer of the recommendations proxy to the "Recommended for you" or cart block on
 * `context` pages (on product pages, of `productId`'s page: a page left behind may still ask):
 * the one asking for its 4 products (the block's default; the Frequently bought together block
 * on product pages asks for 2).
 */
export function nextServedList(
  page: Page,
  context: string,
  productId?: string,
): Promise<ServedList> {
  return page
    .waitForResponse((response: Response) => {
      const url = new URL(response.url());
      return (
        url.pathname === "/apps/rekindle/recommendations" &&
        url.searchParams.get("context") === context &&
        url.searchParams.get("limit") === "4" &&
        (productId === undefined || url.searchParams.get("product_id") === productId)
      );
    })
    .then(async (response) => {
      expect(response.status()).toBe(200);
      const body = (await response.json()) as {
        requestId: string;
        token: string;
        products: { id: string }[];
      };
      return {
        requestId: body.requestId,
        token: body.token,
        productIds: body.products.map((product) => product.id),
        claims: claimsOf(body.token),
      };
    });
}

/** Waits until the page's `<rekindle-recommendations>` has filled its cards. */
export async function readyBlock(page: Page): Promise<Locator> {
  const block = page.locator("rekindle-recommendations");
  await block.scrollIntoViewIfNeeded();
  await expect.poll(() => block.getAttribute("data-state"), { timeout: 20_000 }).toBe("ready");
  return block;
}

/** The product ids of the block's cards, in order. */
export const shownProductIds = (block: Locator) =>
  block
    .locator("a.rk-card")
    .evaluateAll((cards) => cards.map((card) => card.getAttribute("data-product-id") ?? ""));

export interface CartJson {
  items: { product_id: string; variant_id: string; quantity: number; line_price: number }[];
}

export const cartOf = async (page: Page, storeUrl: string) =>
  (await (await page.request.get(`${storeUrl}/cart.js`)).json()) as CartJson;

/** The shopper's events endpoint, as the storefront script posts to it. */
export const postEvent = (page: Page, storeUrl: string, body: string) =>
  page.request.post(`${storeUrl}/apps/rekindle/events`, {
    data: body,
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
  });

export interface ReportRow {
  impressions: number;
  clicks: number;
  addToCarts: number;
  orders: number;
  revenue: number;
}

const number = (text: string | undefined) => Number((text ?? "").replace(/[$,]/g, ""));

const NO_EVENTS: ReportRow = { impressions: 0, clicks: 0, addToCarts: 0, orders: 0, revenue: 0 };

/**
 * The Recommendations page's rows by placement and method ("Product pages · Personalized
 * picks"), read from the report's table view.
 */
export async function reportRows(page: Page, storeUrl: string) {
  await page.goto(`${storeUrl}/admin/apps/rekindle/recommendations`);
  const app = page.frameLocator("#app-iframe");
  await showAsTable(app);
  const rows = new Map<string, ReportRow>();
  for (const row of await app.locator("#report-recommendations tbody tr").all()) {
    const cells = (await row.locator("td, th").allTextContents()).map((text) => text.trim());
    rows.set(cells[0] ?? "", {
      impressions: number(cells[1]),
      clicks: number(cells[2]),
      addToCarts: number(cells[4]),
      orders: number(cells[5]),
      revenue: number(cells[6]),
    });
  }
  return {
    /** One row; zeros when it is not there yet. */
    row: (label: string) => rows.get(label) ?? NO_EVENTS,
    /** Attributed revenue of every row. */
    revenue: [...rows.values()].reduce((sum, row) => sum + row.revenue, 0),
  };
}

/** A click before React has hydrated the page does nothing: retry until the view flips. */
export async function showAsTable(app: FrameLocator) {
  await expect
    .poll(
      async () => {
        const toTable = app.getByRole("button", { name: /Recommendation blocks.* as a table/ });
        if (await toTable.count()) await toTable.click();
        return app.getByRole("button", { name: /Recommendation blocks.* as a chart/ }).count();
      },
      { timeout: 60_000 },
    )
    .toBe(1);
}
