import { beforeEach, describe, expect, it } from "vitest";
import { getDatabase } from "~/db.server";
import { TEST_SHOP, webhookRequest } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { action as customersWebhook } from "~/routes/webhooks.customers";
import { action as uninstalledWebhook } from "~/routes/webhooks.app.uninstalled";
import { action as subscriptionWebhook } from "~/routes/webhooks.app_subscriptions.update";
import { MAX_WEBHOOK_BODY_BYTES } from "~/services/webhooks/webhook-topics";

await migratedTestDatabase();

const routeArgs = (request: Request) => ({ request, params: {}, context: {} });

async function inboxRows() {
  const { rows } = await getDatabase().sql.query<{
    topic: string;
    webhook_id: string;
    payload: string;
  }>("SELECT topic, webhook_id, payload FROM webhook_inbox ORDER BY id");
  return rows;
}

// 2^53 + 1: JSON.parse would round this id; the inbox must keep it exactly.
const BIG_ID = "9007199254740993";
const customerBody = `{"id":${BIG_ID},"email":"ada@example.com","updated_at":"2026-11-01T10:00:00Z"}`;

beforeEach(async () => {
  await truncateAppTables();
});

describe("webhook routes", () => {
  it("stores a signed delivery with its raw body intact and answers 200", async () => {
    const response = await customersWebhook(
      routeArgs(
        webhookRequest({
          path: "/webhooks/customers",
          topic: "customers/update",
          body: customerBody,
          webhookId: "w-1",
        }),
      ),
    );
    expect(response.status).toBe(200);
    const rows = await inboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.topic).toBe("customers/update");
    expect(rows[0]?.payload).toBe(customerBody);
    expect(rows[0]?.payload).toContain(BIG_ID);
  });

  it("treats a redelivery of the same webhook id as a no-op", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await customersWebhook(
        routeArgs(
          webhookRequest({
            path: "/webhooks/customers",
            topic: "customers/update",
            body: customerBody,
            webhookId: "w-dup",
          }),
        ),
      );
      expect(response.status).toBe(200);
    }
    expect(await inboxRows()).toHaveLength(1);
  });

  it("stores a delivery on its triggered-at day with the shop's id, and its retries (same id and triggered-at) are no-ops", async () => {
    // GIVEN an installed shop and a delivery Shopify triggered yesterday, retried three times
    const { rows: shops } = await getDatabase().sql.query<{ id: number }>(
      `INSERT INTO shop (domain, updated_at) VALUES ($1, now()) RETURNING id`,
      [TEST_SHOP],
    );
    const triggeredAt = new Date(Date.now() - 86_400_000).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await customersWebhook(
        routeArgs(
          webhookRequest({
            path: "/webhooks/customers",
            topic: "customers/update",
            body: customerBody,
            webhookId: "w-retried",
            triggeredAt,
          }),
        ),
      );
      expect(response.status).toBe(200);
    }
    // THEN one row, in yesterday's partition, under the shop's id
    const { rows } = await getDatabase().sql.query<{ shop_id: number; day: string }>(
      `SELECT shop_id, partition_day::text AS day FROM webhook_inbox`,
    );
    expect(rows).toEqual([{ shop_id: shops[0]?.id, day: triggeredAt.slice(0, 10) }]);
  });

  it("files a delivery without a plausible triggered-at under today, and one from an unknown shop under shop id 0", async () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const [webhookId, triggeredAt] of [
      ["w-no-header", null],
      ["w-old", "2020-01-01T00:00:00Z"],
      ["w-future", new Date(Date.now() + 3 * 86_400_000).toISOString()],
    ] as const) {
      const response = await customersWebhook(
        routeArgs(
          webhookRequest({
            path: "/webhooks/customers",
            topic: "customers/update",
            body: customerBody,
            webhookId,
            triggeredAt,
            shop: "never-installed.myshopify.com",
          }),
        ),
      );
      expect(response.status).toBe(200);
    }
    const { rows } = await getDatabase().sql.query<{ shop_id: number; day: string }>(
      `SELECT shop_id, partition_day::text AS day FROM webhook_inbox ORDER BY id`,
    );
    expect(rows).toEqual([
      { shop_id: 0, day: today },
      { shop_id: 0, day: today },
      { shop_id: 0, day: today },
    ]);
  });

  it("rejects a topic the route does not handle with 400", async () => {
    const response = await customersWebhook(
      routeArgs(
        webhookRequest({ path: "/webhooks/customers", topic: "orders/create", body: "{}" }),
      ),
    );
    expect(response.status).toBe(400);
    expect(await inboxRows()).toHaveLength(0);
  });

  it("rejects malformed JSON with 400, keeping it as a dead letter, and an oversize body with 413", async () => {
    const malformed = await customersWebhook(
      routeArgs(
        webhookRequest({
          path: "/webhooks/customers",
          topic: "customers/update",
          body: "{not json",
        }),
      ),
    );
    expect(malformed.status).toBe(400);
    const { rows } = await getDatabase().sql.query<{
      status: string;
      payload: string;
      last_error: string;
    }>("SELECT status, payload, last_error FROM webhook_inbox");
    expect(rows).toEqual([
      { status: "dead", payload: "{not json", last_error: "malformed JSON body" },
    ]);
    await truncateAppTables();
    const huge = `{"note":"${"x".repeat(MAX_WEBHOOK_BODY_BYTES)}"}`;
    const oversize = await customersWebhook(
      routeArgs(
        webhookRequest({ path: "/webhooks/customers", topic: "customers/update", body: huge }),
      ),
    );
    expect(oversize.status).toBe(413);
    expect(await inboxRows()).toHaveLength(0);
  });

  it("answers a non-POST with 405", async () => {
    const response = await customersWebhook(
      routeArgs(
        webhookRequest({
          path: "/webhooks/customers",
          topic: "customers/update",
          body: "",
          method: "GET",
        }),
      ),
    );
    expect(response.status).toBe(405);
  });

  it("on app/uninstalled marks the shop uninstalled and removes its sessions", async () => {
    const { prisma } = getDatabase();
    await prisma.shop.create({ data: { domain: TEST_SHOP } });
    await prisma.session.create({
      data: { id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "", accessToken: "shpat_x" },
    });
    const body = JSON.stringify({ id: 1, domain: TEST_SHOP });
    const response = await uninstalledWebhook(
      routeArgs(
        webhookRequest({ path: "/webhooks/app/uninstalled", topic: "app/uninstalled", body }),
      ),
    );
    expect(response.status).toBe(200);
    expect(await prisma.session.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect((await prisma.shop.findUnique({ where: { domain: TEST_SHOP } }))?.state).toBe(
      "uninstalled",
    );
  });

  it("accepts app/uninstalled from a shop it never knew without failing", async () => {
    const body = JSON.stringify({ id: 2, domain: "stranger.myshopify.com" });
    const response = await uninstalledWebhook(
      routeArgs(
        webhookRequest({
          path: "/webhooks/app/uninstalled",
          topic: "app/uninstalled",
          body,
          shop: "stranger.myshopify.com",
        }),
      ),
    );
    expect(response.status).toBe(200);
    expect(await getDatabase().prisma.shop.count()).toBe(0);
  });
});

describe("app_subscriptions/update", () => {
  const body = (status: string, updatedAt: string) =>
    JSON.stringify({
      app_subscription: {
        admin_graphql_api_id: "gid://shopify/AppSubscription/555",
        name: "Growth",
        status,
        admin_graphql_api_shop_id: "gid://shopify/Shop/1",
        created_at: "2026-11-01T10:00:00Z",
        updated_at: updatedAt,
        currency: "USD",
        price: "19.00",
        interval: "every_30_days",
      },
    });
  const deliver = (payload: string, hmac?: string) =>
    subscriptionWebhook(
      routeArgs(
        webhookRequest({
          path: "/webhooks/app_subscriptions/update",
          topic: "app_subscriptions/update",
          body: payload,
          hmac,
        }),
      ),
    );
  const stored = async () =>
    (
      await getDatabase().sql.query<{ status: string }>(
        `SELECT status FROM app_subscription ORDER BY id`,
      )
    ).rows;

  it("a signed delivery sets the shop's plan at once; a forged one changes nothing", async () => {
    await getDatabase().prisma.shop.create({ data: { domain: TEST_SHOP } });
    expect((await deliver(body("ACTIVE", "2026-11-02T10:00:00Z"), "forged")).status).toBe(401);
    expect(await stored()).toEqual([]);
    expect((await deliver(body("ACTIVE", "2026-11-02T10:00:00Z"))).status).toBe(200);
    expect(await stored()).toEqual([{ status: "ACTIVE" }]);
    // An older state delivered later is acknowledged and ignored.
    expect((await deliver(body("PENDING", "2026-11-01T10:00:00Z"))).status).toBe(200);
    expect(await stored()).toEqual([{ status: "ACTIVE" }]);
  });
});
