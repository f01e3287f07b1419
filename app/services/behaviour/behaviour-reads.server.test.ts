import { beforeEach, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { insertProducts } from "../recommendations/testing/catalogue-rows";
import { insertCustomers, insertOrders } from "../analytics/testing/order-rows";
import { loadCustomerProductViews } from "./customer-views.server";
import { recentlyViewedProductIds } from "./recently-viewed.server";
import { insertPixelEvents, insertPixelVisitors } from "./testing/pixel-event-rows";
import { topViewedNotBought } from "./viewed-not-bought.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-12-03T12:00:00Z");
const MINUTE = 60_000;
const DAY = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
let shopId = 0;
let otherShopId = 0;
let eventNumber = 0;

/** A product_viewed event of `clientId` (signed in as `customerId`, if any) at `at`. */
const view = (clientId: string, productId: bigint, at: Date, customerId: bigint | null = null) => ({
  eventId: `e${++eventNumber}`,
  occurredAt: at,
  clientId,
  customerId,
  productId,
});

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "views.myshopify.com" } })).id;
  otherShopId = (await prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;
  await insertProducts(sql, shopId, [
    { id: 1n },
    { id: 2n },
    { id: 3n },
    { id: 4n, status: "archived" },
    { id: 5n },
    { id: 6n },
  ]);
  await insertCustomers(sql, shopId, [100n, 200n, 300n]);
});

describe("recentlyViewedProductIds", () => {
  it("GIVEN a guest's browser WHEN read THEN its anonymous views, newest first, once each, active only, without the page's product", async () => {
    await insertPixelEvents(sql, shopId, [
      view("c1", 1n, ago(50 * MINUTE)),
      view("c1", 2n, ago(40 * MINUTE)),
      view("c1", 1n, ago(30 * MINUTE)), // 1 again: moves ahead of 2
      view("c1", 4n, ago(20 * MINUTE)), // archived
      view("c1", 3n, ago(10 * MINUTE)), // the page's product
      view("c1", 99n, ago(5 * MINUTE)), // not in the catalogue
      view("c2", 5n, ago(MINUTE)), // another browser
    ]);
    await insertPixelEvents(sql, otherShopId, [view("c1", 6n, ago(MINUTE))]);
    const ids = await recentlyViewedProductIds(
      sql,
      shopId,
      { customerId: null, clientId: "c1" },
      { excludeProductId: "3", limit: 10, now: NOW },
    );
    expect(ids).toEqual(["1", "2"]);
  });

  it("GIVEN a signed-in customer WHEN read THEN their views from every stitched browser, but a guest on a browser they used sees none of them", async () => {
    await insertPixelVisitors(sql, shopId, [{ clientId: "laptop", customerId: 100n }]);
    await insertPixelEvents(sql, shopId, [
      view("laptop", 1n, ago(30 * MINUTE)), // before signing in, stitched
      view("phone", 2n, ago(20 * MINUTE), 100n), // signed in on the phone
      view("phone", 5n, ago(10 * MINUTE)), // anonymous on the phone, before this sign-in
      view("shared", 6n, ago(5 * MINUTE), 200n), // someone else
    ]);
    const signedIn = await recentlyViewedProductIds(
      sql,
      shopId,
      { customerId: 100n, clientId: "phone" },
      { excludeProductId: null, limit: 10, now: NOW },
    );
    expect(signedIn).toEqual(["5", "2", "1"]);
    const guestOnPhone = await recentlyViewedProductIds(
      sql,
      shopId,
      { customerId: null, clientId: "phone" },
      { excludeProductId: null, limit: 10, now: NOW },
    );
    expect(guestOnPhone).toEqual(["5"]);
    const limited = await recentlyViewedProductIds(
      sql,
      shopId,
      { customerId: 100n, clientId: null },
      { excludeProductId: null, limit: 1, now: NOW },
    );
    expect(limited).toEqual(["2"]);
  });

  it("GIVEN no identity WHEN read THEN nothing", async () => {
    await insertPixelEvents(sql, shopId, [view("c1", 1n, ago(MINUTE))]);
    expect(
      await recentlyViewedProductIds(
        sql,
        shopId,
        { customerId: null, clientId: null },
        { excludeProductId: null, limit: 4, now: NOW },
      ),
    ).toEqual([]);
  });
});

describe("loadCustomerProductViews", () => {
  it("GIVEN views signed in and stitched WHEN loaded THEN one entry per product and day with its count, newest first", async () => {
    await insertPixelVisitors(sql, shopId, [{ clientId: "laptop", customerId: 100n }]);
    await insertPixelEvents(sql, shopId, [
      view("laptop", 1n, new Date("2026-12-01T09:00:00Z")),
      view("laptop", 1n, new Date("2026-12-01T09:05:00Z")),
      view("phone", 1n, new Date("2026-12-01T18:00:00Z"), 100n),
      view("phone", 1n, new Date("2026-12-02T08:00:00Z"), 100n),
      view("phone", 99n, new Date("2026-12-02T09:00:00Z"), 100n),
      view("phone", 2n, new Date("2026-12-02T10:00:00Z"), 200n),
      view("guest", 3n, new Date("2026-12-02T11:00:00Z")),
    ]);
    const views = await loadCustomerProductViews(sql, shopId, 100n);
    expect(views).toEqual([
      { productId: "99", title: null, viewedAt: "2026-12-02T09:00:00Z", views: 1 },
      { productId: "1", title: "Product 1", viewedAt: "2026-12-02T08:00:00Z", views: 1 },
      { productId: "1", title: "Product 1", viewedAt: "2026-12-01T18:00:00Z", views: 3 },
    ]);
    expect(await loadCustomerProductViews(sql, shopId, 300n)).toEqual([]);
  });
});

describe("topViewedNotBought", () => {
  it("GIVEN viewers who bought some of what they viewed WHEN ranked THEN only the unbought views count, by viewers then views", async () => {
    await insertPixelVisitors(sql, shopId, [{ clientId: "c300", customerId: 300n }]);
    await insertPixelEvents(sql, shopId, [
      view("c100", 1n, ago(DAY), 100n),
      view("c100", 1n, ago(2 * DAY), 100n),
      view("c100", 2n, ago(DAY), 100n), // bought below: not counted for 100
      view("c200", 2n, ago(DAY), 200n),
      view("c200", 1n, ago(40 * DAY), 200n), // outside the window
      view("c300", 1n, ago(3 * DAY)), // stitched through pixel_visitor
      view("anon", 5n, ago(DAY)), // no customer
    ]);
    await insertOrders(sql, shopId, [
      { id: 1n, customerId: 100n, processedAt: ago(DAY / 2), total: 10, lines: [[2n, 1]] },
      // 200 bought 2 before the window: still viewed-not-bought now.
      { id: 2n, customerId: 200n, processedAt: ago(60 * DAY), total: 10, lines: [[2n, 1]] },
    ]);
    const all = await topViewedNotBought(sql, shopId, { segmentId: null, now: NOW, limit: 10 });
    expect(all).toEqual([
      { productId: "1", title: "Product 1", views: 3, viewers: 2 },
      { productId: "2", title: "Product 2", views: 1, viewers: 1 },
    ]);

    const segment = await prisma.segment.create({
      data: { shopId, name: "Some", query: "x", ast: {} },
    });
    await sql.query(
      `INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
       VALUES ($1, $2, 200, now())`,
      [shopId, segment.id.toString()],
    );
    const members = await topViewedNotBought(sql, shopId, {
      segmentId: segment.id,
      now: NOW,
      limit: 10,
    });
    expect(members).toEqual([{ productId: "2", title: "Product 2", views: 1, viewers: 1 }]);
  });

  it("GIVEN a few thousand views WHEN ranked THEN the answer is quick and counts every view", async () => {
    const customers = Array.from({ length: 400 }, (_, i) => BigInt(1000 + i));
    await insertCustomers(sql, shopId, customers);
    const events = customers.flatMap((customer, i) =>
      Array.from({ length: 10 }, (_, k) =>
        view(`c${customer}`, BigInt((i + k) % 6) + 1n, ago((k + 1) * DAY), customer),
      ),
    );
    await insertPixelEvents(sql, shopId, events);
    const started = performance.now();
    const top = await topViewedNotBought(sql, shopId, { segmentId: null, now: NOW, limit: 10 });
    const elapsed = performance.now() - started;
    expect(top.reduce((sum, row) => sum + row.views, 0)).toBe(4000);
    expect(top).toHaveLength(6);
    expect(elapsed).toBeLessThan(2000);
  });
});
