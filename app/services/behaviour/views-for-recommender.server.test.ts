import { beforeAll, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { insertPixelEvents, stitchBrowser } from "./testing/pixel-rows";
import { loadCustomerViews, loadShopperViews } from "./views-for-recommender.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);
const WINDOW = { now: NOW, days: 30, limit: 50 };
let shopId: number;

const ids = (views: readonly { productId: string }[]) => views.map((view) => view.productId);

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "views.myshopify.com" } })).id;
  const other = (await prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;
  await insertPixelEvents(sql, shopId, [
    // Customer 1 signed in on their own browser.
    { name: "product_viewed", at: ago(1), customerId: 1n, productId: 11n },
    // Before signing in on a second browser, later stitched to them.
    { name: "product_viewed", at: ago(3), clientId: "laptop", productId: 12n },
    // A guest on a shared browser, and customer 1 signed in on it earlier.
    { name: "product_viewed", at: ago(2), clientId: "shared", productId: 13n },
    { name: "product_viewed", at: ago(4), clientId: "shared", customerId: 1n, productId: 14n },
    // Not views, or too old for the window.
    { name: "product_added_to_cart", at: ago(1), clientId: "shared", productId: 15n },
    { name: "product_viewed", at: ago(31 * 24), clientId: "shared", productId: 16n },
  ]);
  await stitchBrowser(sql, shopId, "laptop", 1n);
  // The same browser id at another shop is another shop's shopper.
  await insertPixelEvents(sql, other, [
    { name: "product_viewed", at: ago(1), clientId: "shared", productId: 17n },
  ]);
});

describe("a shopper's recent views for the recommender", () => {
  it("GIVEN a signed-in customer THEN their own views, their stitched browsers' and this browser's anonymous ones, newest first", async () => {
    const views = await loadShopperViews(
      sql,
      shopId,
      { customerId: 1n, clientId: "shared" },
      WINDOW,
    );
    expect(ids(views)).toEqual(["11", "13", "12", "14"]);
    expect(views[0]?.at).toEqual(ago(1));
  });

  it("GIVEN a guest on a shared browser THEN only its anonymous views, never the customer's signed-in ones", async () => {
    const views = await loadShopperViews(
      sql,
      shopId,
      { customerId: null, clientId: "shared" },
      WINDOW,
    );
    expect(ids(views)).toEqual(["13"]);
  });

  it("GIVEN nobody known THEN nothing is read", async () => {
    expect(
      await loadShopperViews(sql, shopId, { customerId: null, clientId: null }, WINDOW),
    ).toEqual([]);
  });
});

describe("customers' views for training", () => {
  it("credits stitched browsers' views to their customer, keeps the newest per customer, skips guests", async () => {
    const all = await loadCustomerViews(sql, shopId, { since: ago(24 * 90), perCustomer: 10 });
    expect(all.map((view) => [view.customerId, view.productId]).sort()).toEqual([
      ["1", "11"],
      ["1", "12"],
      ["1", "14"],
    ]);
    const newest = await loadCustomerViews(sql, shopId, { since: ago(24 * 90), perCustomer: 2 });
    expect(newest.map((view) => view.productId).sort()).toEqual(["11", "12"]);
  });
});
