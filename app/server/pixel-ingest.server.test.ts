import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pixelIngestCounts } from "~/services/behaviour/pixel-ingest-counts.server";
import { startPixelTestFront } from "../../tests/helpers/pixel-front";
import { pixelBatch, pixelEvent, postPixelBatch } from "../../tests/helpers/pixel-requests";
import { TEST_SHOP } from "../../tests/helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../../tests/helpers/test-database";

const NEIGHBOUR = "neighbour.myshopify.com";
const GONE = "gone.myshopify.com";
const { sql, prisma } = await migratedTestDatabase();

let front: Awaited<ReturnType<typeof startPixelTestFront>>;
let shopId = 0;
let neighbourId = 0;

beforeAll(async () => {
  front = await startPixelTestFront();
});
afterAll(() => front.close());

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  neighbourId = (await prisma.shop.create({ data: { domain: NEIGHBOUR } })).id;
  await prisma.shop.create({ data: { domain: GONE, state: "uninstalled" } });
});

const post = (body: unknown) => postPixelBatch(front.origin, body);

interface StoredEvent {
  shop_id: number;
  event_id: string;
  name: string;
  client_id: string;
  customer_id: string | null;
  product_id: string | null;
  variant_id: string | null;
  search_query: string | null;
  path: string | null;
  marketing_consent: boolean;
  occurred_at: Date;
}

/** Every stored event of every shop (raw SQL across shops, as no app query may). */
async function storedEvents(): Promise<StoredEvent[]> {
  const { rows } = await sql.query<StoredEvent>(
    `SELECT shop_id, event_id, name, client_id, customer_id::text, product_id::text,
            variant_id::text, search_query, path, marketing_consent, occurred_at
     FROM pixel_event ORDER BY occurred_at, event_id`,
  );
  return rows;
}

const count = (reason: keyof ReturnType<typeof pixelIngestCounts>) =>
  pixelIngestCounts()[reason] ?? 0;

describe("the web pixel's endpoint, on the app's front", () => {
  it("stores a good batch under its shop and answers 204 to any origin", async () => {
    // GIVEN a batch as the pixel sends it: a page view, a product view with global ids, a search
    const at = new Date(Date.now() - 60_000).toISOString();
    const events = [
      pixelEvent({
        id: "e-1",
        name: "page_viewed",
        at,
        productId: null,
        variantId: null,
        path: "/",
      }),
      pixelEvent({ id: "e-2", at, consent: { analytics: true, marketing: false } }),
      pixelEvent({
        id: "e-3",
        name: "search_submitted",
        at,
        productId: null,
        variantId: null,
        query: "blue mug",
        path: "/search",
      }),
    ];
    // WHEN it is posted
    const response = await post(pixelBatch(events));
    // THEN it is stored under the shop, ids as numbers, consent per row
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const rows = await storedEvents();
    expect(rows.map(({ occurred_at: _, ...row }) => row)).toEqual([
      {
        shop_id: shopId,
        event_id: "e-1",
        name: "page_viewed",
        client_id: "client-1",
        customer_id: null,
        product_id: null,
        variant_id: null,
        search_query: null,
        path: "/",
        marketing_consent: true,
      },
      {
        shop_id: shopId,
        event_id: "e-2",
        name: "product_viewed",
        client_id: "client-1",
        customer_id: null,
        product_id: "501",
        variant_id: "5011",
        search_query: null,
        path: "/products/blue-mug",
        marketing_consent: false,
      },
      {
        shop_id: shopId,
        event_id: "e-3",
        name: "search_submitted",
        client_id: "client-1",
        customer_id: null,
        product_id: null,
        variant_id: null,
        search_query: "blue mug",
        path: "/search",
        marketing_consent: true,
      },
    ]);
    expect(rows.every((row) => row.occurred_at.toISOString() === at)).toBe(true);
  });

  it("stores a replayed batch once and counts the duplicates", async () => {
    const batch = pixelBatch([
      pixelEvent({ id: "r-1" }),
      pixelEvent({ id: "r-2", productId: 502 }),
    ]);
    const before = count("duplicate");
    expect((await post(batch)).status).toBe(204);
    expect((await post(batch)).status).toBe(204);
    expect((await storedEvents()).map((row) => row.event_id)).toEqual(
      expect.arrayContaining(["r-1", "r-2"]),
    );
    expect(await storedEvents()).toHaveLength(2);
    expect(count("duplicate") - before).toBe(2);
  });

  it("refuses a forged shop, a wrong key, an unknown and an uninstalled shop with 403, storing nothing", async () => {
    const events = [pixelEvent()];
    const before = { wrong: count("wrong_key"), unknown: count("unknown_shop") };
    const own = pixelBatch(events);
    // Another installed shop's domain with this shop's key: the key names its own shop only.
    const forged = await post({ ...own, shop: NEIGHBOUR });
    const garbled = await post(pixelBatch(events, { key: "A".repeat(22) }));
    // A domain's own key, but no shop installed it (or it uninstalled).
    const unknown = await post(pixelBatch(events, { shop: "nobody.myshopify.com" }));
    const gone = await post(pixelBatch(events, { shop: GONE }));
    expect([forged.status, garbled.status, unknown.status, gone.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect(await storedEvents()).toEqual([]);
    expect(count("wrong_key") - before.wrong).toBe(2);
    expect(count("unknown_shop") - before.unknown).toBe(2);
  });

  it("stores a batch for another shop under that shop only", async () => {
    await post(pixelBatch([pixelEvent({ id: "n-1" })], { shop: NEIGHBOUR }));
    expect((await storedEvents()).map((row) => [row.shop_id, row.event_id])).toEqual([
      [neighbourId, "n-1"],
    ]);
  });

  it("refuses an oversized body with 413 before reading it, declared or chunked", async () => {
    const before = count("body_too_large");
    const big = JSON.stringify(pixelBatch([pixelEvent({ path: `/${"x".repeat(70_000)}` })]));
    const declared = await post(big);
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${front.origin}/pixel/events`,
        { method: "POST" },
        (response) => {
          resolve(response.statusCode ?? 0);
          response.resume();
        },
      );
      request.on("error", reject);
      // No Content-Length: the front counts the bytes as they come.
      for (let sent = 0; sent < 80_000; sent += 16_000) request.write("x".repeat(16_000));
      request.end();
    });
    expect(chunked).toBe(413);
    expect(await storedEvents()).toEqual([]);
    expect(count("body_too_large") - before).toBe(2);
  });

  it("answers malformed JSON, too many events and unknown names with 400, storing nothing", async () => {
    const before = {
      json: count("malformed_json"),
      many: count("too_many_events"),
      name: count("unknown_event_name"),
      invalid: count("invalid_batch"),
    };
    const answers = [
      await post('{"v":1,"shop":'),
      await post(pixelBatch(Array.from({ length: 101 }, () => pixelEvent()))),
      await post(pixelBatch([pixelEvent(), pixelEvent({ name: "cart_emptied" })])),
      await post(pixelBatch([pixelEvent({ productId: "gid://shopify/Customer/5" })])),
      await post(pixelBatch([pixelEvent({ clientId: "a\u0000b" })])),
      await post(pixelBatch([])),
    ];
    expect(answers.map((response) => response.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(await storedEvents()).toEqual([]);
    expect(count("malformed_json") - before.json).toBe(1);
    expect(count("too_many_events") - before.many).toBe(1);
    expect(count("unknown_event_name") - before.name).toBe(1);
    expect(count("invalid_batch") - before.invalid).toBe(3);
  });

  it("drops events sent without analytics consent and counts them", async () => {
    const before = count("no_consent");
    const response = await post(
      pixelBatch([
        pixelEvent({ id: "c-yes" }),
        pixelEvent({ id: "c-no", consent: { analytics: false, marketing: true } }),
      ]),
    );
    expect(response.status).toBe(204);
    expect((await storedEvents()).map((row) => row.event_id)).toEqual(["c-yes"]);
    expect(count("no_consent") - before).toBe(1);
  });

  it("clamps a clock far in the future or the past to the time of receipt, once per event", async () => {
    const before = { future: count("clock_future"), past: count("clock_past") };
    const sentAt = Date.now();
    const batch = pixelBatch([
      pixelEvent({ id: "t-future", at: new Date(sentAt + 86_400_000).toISOString() }),
      pixelEvent({ id: "t-past", at: "2001-01-01T00:00:00Z" }),
    ]);
    expect((await post(batch)).status).toBe(204);
    // A replay gets a new time of receipt, and is still recognised as the same event.
    expect((await post(batch)).status).toBe(204);
    const rows = await storedEvents();
    expect(rows.map((row) => row.event_id).sort()).toEqual(["t-future", "t-past"]);
    for (const row of rows) {
      expect(Math.abs(row.occurred_at.getTime() - sentAt)).toBeLessThan(60_000);
    }
    expect(count("clock_future") - before.future).toBe(2);
    expect(count("clock_past") - before.past).toBe(2);
  });

  it("answers 429 with Retry-After once a browser sends more than its limit, storing nothing of it", async () => {
    const before = count("rate_limited_client");
    const batch = () =>
      pixelBatch(Array.from({ length: 100 }, () => pixelEvent({ clientId: "eager" })));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(batch())).status);
    const limited = await post(batch());
    expect(statuses).toEqual([204, 204, 204]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await storedEvents()).toHaveLength(300);
    expect(count("rate_limited_client") - before).toBe(1);
    // Another browser of the same shop is not held back.
    expect((await post(pixelBatch([pixelEvent({ clientId: "calm" })]))).status).toBe(204);
  });

  it("answers the CORS preflight with 204 for any origin", async () => {
    const response = await fetch(`${front.origin}/pixel/events`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://north-goods.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
      "content-type",
    );
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });
});

describe("stitching a browser to the customer it signs in as", () => {
  it("credits the browser's earlier and later events to the customer, in its own shop only", async () => {
    // GIVEN a browser's anonymous views in this shop, and the same client id in another shop
    await post(pixelBatch([pixelEvent({ id: "s-1", clientId: "browser" })]));
    await post(pixelBatch([pixelEvent({ id: "s-n", clientId: "browser" })], { shop: NEIGHBOUR }));
    // WHEN it signs in as customer 42 (a global id, as init.data.customer.id gives it)
    await post(
      pixelBatch([
        pixelEvent({ id: "s-2", clientId: "browser", customerId: "gid://shopify/Customer/42" }),
      ]),
    );
    // ... and browses on without the pixel naming the customer
    await post(pixelBatch([pixelEvent({ id: "s-3", clientId: "browser" })]));
    // THEN every event of that browser in this shop is the customer's; the neighbour's is not
    const rows = await storedEvents();
    expect(rows.map((row) => [row.shop_id, row.event_id, row.customer_id])).toEqual([
      [shopId, "s-1", "42"],
      [neighbourId, "s-n", null],
      [shopId, "s-2", "42"],
      [shopId, "s-3", "42"],
    ]);
    const visitors = await sql.query<{ shop_id: number; customer_id: string; stitched: boolean }>(
      `SELECT shop_id, customer_id::text, stitched_at IS NOT NULL AS stitched FROM pixel_visitor`,
    );
    expect(visitors.rows).toEqual([{ shop_id: shopId, customer_id: "42", stitched: true }]);
  });

  it("credits a guest's browsing to the customer their completed checkout names", async () => {
    // GIVEN a guest's anonymous browsing: a product view and the checkout's start
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await post(
      pixelBatch([
        pixelEvent({ id: "g-1", clientId: "guest", at: minutesAgo(3) }),
        pixelEvent({ id: "g-2", clientId: "guest", name: "checkout_started", at: minutesAgo(2) }),
      ]),
    );
    // WHEN the order status page's checkout_completed names the order's customer
    const response = await post(
      pixelBatch([
        pixelEvent({
          id: "g-3",
          clientId: "guest",
          name: "checkout_completed",
          productId: null,
          variantId: null,
          customerId: "gid://shopify/Customer/77",
          at: minutesAgo(1),
        }),
      ]),
    );
    // THEN the event is taken, and the guest's earlier events are that customer's
    expect(response.status).toBe(204);
    expect((await storedEvents()).map((row) => [row.event_id, row.name, row.customer_id])).toEqual([
      ["g-1", "product_viewed", "77"],
      ["g-2", "checkout_started", "77"],
      ["g-3", "checkout_completed", "77"],
    ]);
  });

  it("leaves events credited to an earlier customer of a shared browser with that customer", async () => {
    await post(pixelBatch([pixelEvent({ id: "a-1", clientId: "shared", customerId: 7 })]));
    await post(pixelBatch([pixelEvent({ id: "a-2", clientId: "shared", customerId: 8 })]));
    await post(pixelBatch([pixelEvent({ id: "a-3", clientId: "shared" })]));
    expect((await storedEvents()).map((row) => [row.event_id, row.customer_id])).toEqual([
      ["a-1", "7"],
      ["a-2", "8"],
      ["a-3", "8"],
    ]);
  });
});
