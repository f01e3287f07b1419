import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { startPixelTestFront } from "../helpers/pixel-front";
import { pixelBatch, pixelEvent, postPixelBatch } from "../helpers/pixel-requests";
import { TEST_SHOP, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

// Storefront browsing is personal data once it is tied to a customer (issue 20): the
// compliance webhooks, signed as Shopify signs them and sent over HTTP to the app's front,
// cover the web pixel's events and browsers.
const NEIGHBOUR = "pixel-neighbour.myshopify.com";
const ADA = 42;
const SECRET_SEARCH = "zqx ada's gift search";
const { sql, prisma } = await migratedTestDatabase();

let front: Awaited<ReturnType<typeof startPixelTestFront>>;
beforeAll(async () => {
  front = await startPixelTestFront();
});
afterAll(() => front.close());

/** Sends a compliance webhook for `shop` through the front, then lets the worker apply it. */
async function compliance(shop: string, topic: string, body: object) {
  const signed = webhookRequest({
    path: "/webhooks/compliance",
    topic,
    shop,
    body: JSON.stringify({ shop_domain: shop, ...body }),
  });
  const response = await fetch(`${front.origin}/webhooks/compliance`, {
    method: "POST",
    headers: signed.headers,
    body: await signed.text(),
  });
  expect(response.status).toBe(200);
  await drainInbox(sql);
}

/** Event ids (and browsers) stored for `shop`. */
async function stored(shop: string) {
  const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  const events = await sql.query<{ event_id: string }>(
    `SELECT event_id FROM pixel_event WHERE shop_id = $1 ORDER BY event_id`,
    [shopId],
  );
  const visitors = await sql.query<{ client_id: string }>(
    `SELECT client_id FROM pixel_visitor WHERE shop_id = $1 ORDER BY client_id`,
    [shopId],
  );
  return {
    events: events.rows.map((row) => row.event_id),
    browsers: visitors.rows.map((row) => row.client_id),
  };
}

beforeEach(async () => {
  await truncateAppTables();
  for (const domain of [TEST_SHOP, NEIGHBOUR]) {
    await prisma.shop.create({ data: { domain } });
    await prisma.session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "", accessToken: "shpat_x" },
    });
  }
  const post = async (shop: string, event: Record<string, unknown>) =>
    expect((await postPixelBatch(front.origin, pixelBatch([event], { shop }))).status).toBe(204);
  // Ada's phone: a search before she signs in, a view signed in, a view after without her id
  await post(TEST_SHOP, pixelEvent({ id: "p-1", clientId: "phone", query: SECRET_SEARCH }));
  await post(TEST_SHOP, pixelEvent({ id: "p-2", clientId: "phone", customerId: ADA }));
  await post(TEST_SHOP, pixelEvent({ id: "p-3", clientId: "phone" }));
  // Ada's laptop, signed in; another customer; an anonymous shopper
  await post(
    TEST_SHOP,
    pixelEvent({ id: "p-4", clientId: "laptop", customerId: `gid://shopify/Customer/${ADA}` }),
  );
  await post(TEST_SHOP, pixelEvent({ id: "p-5", clientId: "other", customerId: 43 }));
  await post(TEST_SHOP, pixelEvent({ id: "p-6", clientId: "stranger" }));
  // The neighbour shop's customer 42 (another person) on a browser with the same client id
  await post(NEIGHBOUR, pixelEvent({ id: "n-1", clientId: "phone", customerId: ADA }));
});

describe("web pixel events under the compliance webhooks", () => {
  it("customers/data_request exports the customer's storefront events and browsers", async () => {
    await compliance(TEST_SHOP, "customers/data_request", {
      customer: { id: ADA },
      data_request: { id: 77 },
    });
    const shopId = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).id;
    const exported = await prisma.dataExport.findFirstOrThrow({ where: { shopId } });
    const payload = exported.payload as {
      storefrontEvents: Array<{ event_id: string; search_query: string | null }>;
      browsers: Array<{ client_id: string }>;
    };
    expect(payload.storefrontEvents.map((event) => event.event_id)).toEqual([
      "p-1",
      "p-2",
      "p-3",
      "p-4",
    ]);
    expect(payload.storefrontEvents[0]?.search_query).toBe(SECRET_SEARCH);
    expect(payload.browsers.map((browser) => browser.client_id).sort()).toEqual([
      "laptop",
      "phone",
    ]);
  });

  it("customers/redact removes the customer's events and browsers, stitched ones included, and nothing else", async () => {
    await compliance(TEST_SHOP, "customers/redact", {
      customer: { id: ADA },
      orders_to_redact: [],
    });
    expect(await stored(TEST_SHOP)).toEqual({ events: ["p-5", "p-6"], browsers: ["other"] });
    expect(await stored(NEIGHBOUR)).toEqual({ events: ["n-1"], browsers: ["phone"] });
    const text = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pixel_event WHERE search_query = $1`,
      [SECRET_SEARCH],
    );
    expect(text.rows[0]?.n).toBe(0);
  });

  it("shop/redact removes every pixel event and browser of the shop, and only of that shop", async () => {
    await compliance(TEST_SHOP, "shop/redact", {});
    const { rows } = await sql.query<{ events: number; browsers: number }>(
      `SELECT (SELECT count(*)::int FROM pixel_event) AS events,
              (SELECT count(*)::int FROM pixel_visitor) AS browsers`,
    );
    // Only the neighbour's event and browser are left in the whole database.
    expect(rows[0]).toEqual({ events: 1, browsers: 1 });
    expect(await stored(NEIGHBOUR)).toEqual({ events: ["n-1"], browsers: ["phone"] });
  });
});
