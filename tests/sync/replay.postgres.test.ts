import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/lib/constants";
import type { WebhookRoute } from "~/services/webhooks/webhook-topics";
import { generateStore } from "../devstore/generator/generate-store";
import { startDevStoreServer } from "../devstore/server";
import { storeHistoryEvents } from "../devstore/store-history";
import { signSessionToken } from "../devstore/signing";
import { compareStoreWithDatabase } from "../devstore/store-vs-database";
import { WebhookDelivery } from "../devstore/webhook-delivery";
import { subscriptionsFromAppToml } from "../devstore/webhook-subscriptions";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { exchangeForOfflineToken } from "../helpers/offline-session";
import { migratedTestDatabase } from "../helpers/test-database";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { webhookResponse } from "~/routes/http/answers.server";
import { drainInbox, processInboxBatch } from "~/services/sync/inbox-worker.server";
import { requestReconciliation, runSyncJobs } from "~/services/sync/backfill.server";

// The sync's promise, end to end on the simulated store: a shop's whole history replayed as
// ~50k webhooks (older versions of records before newer ones), 10% delivered twice, all
// shuffled, 2% never delivered; the workers apply what arrived, reconciliation repairs what
// did not, and the database ends equal to the store row for row. On PostgreSQL when one is
// reachable (CI), else on the embedded database.
const unavailable = await postgresUnavailableReason();
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
else console.warn(`replay runs on PGlite: ${unavailable}`);

const { sql, prisma, kind } = await migratedTestDatabase();

const app = {
  apiKey: process.env.SHOPIFY_API_KEY ?? "",
  secret: process.env.SHOPIFY_API_SECRET ?? "",
  scopes: "read_customers,read_orders,read_all_orders,read_products",
};
const DAY = 86_400_000;
const now = Date.now();
const data = generateStore({
  seed: 5150,
  orders: 18_500,
  endDate: new Date(now - DAY),
  years: 0.25,
});
const store = await startDevStoreServer({ data, app, appUrl: "http://app.invalid" });

/**
 * Drains the inbox, giving the planner what autovacuum gives it in production. The CI server
 * runs with autovacuum off, and the sync tables start empty and fill during the drain: without
 * statistics the planner keeps plans costed for empty tables (each order_line insert's foreign
 * key check reads every order of the shop, the customer consent update loops over every
 * customer per row), and applying runs ~6x slower than on analyzed tables. One ANALYZE once
 * the first batch has written rows stands in for autoanalyze; the later batches are planned
 * as on a live database.
 */
async function drainAsInProduction(): Promise<number> {
  const first = await processInboxBatch(sql);
  await sql.exec("ANALYZE");
  const rest = await drainInbox(sql);
  return first.applied + rest.applied;
}

afterAll(async () => {
  await store.close();
  await sql.close();
  await scratch?.drop();
});

describe("replaying a shop's history through the webhook routes", () => {
  it("ends with the database equal to the store, row for row", async () => {
    const shop = await prisma.shop.create({
      data: { domain: data.shop.domain, scopes: app.scopes, state: "installed" },
    });
    const delivery = new WebhookDelivery({
      appUrl: "https://rekindle.test",
      shop: data.shop.domain,
      secret: app.secret,
      apiVersion: ADMIN_API_VERSION,
      routes: subscriptionsFromAppToml().routes,
      faults: { duplicateRate: 0.1, dropRate: 0.02, shuffle: true },
      seed: 77,
      concurrency: 16,
      send: async (request) =>
        webhookResponse(
          await receiveWebhook(request, new URL(request.url).pathname as WebhookRoute),
        ),
    });
    for (const event of storeHistoryEvents(data)) delivery.enqueue(event.topic, event.body);
    const events = delivery.pending;
    expect(events).toBeGreaterThanOrEqual(50_000);

    const started = Date.now();
    const report = await delivery.flush();
    const ingestSeconds = (Date.now() - started) / 1000;
    expect(report.failed).toEqual([]);
    const applied = await drainAsInProduction();
    const applySeconds = (Date.now() - started) / 1000 - ingestSeconds;

    const { rows: inbox } = await sql.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM webhook_inbox GROUP BY status`,
    );
    expect(inbox).toEqual([{ status: "done", count: events - report.dropped.length }]);
    const beforeRepair = await compareStoreWithDatabase(data, sql, shop.id);
    expect(beforeRepair.differences.length).toBeGreaterThan(0);

    // Reconciliation over the window the history spans (as hourly runs would have covered it).
    const accessToken = await exchangeForOfflineToken(
      store.tokens,
      app,
      await signSessionToken(
        { shop: data.shop.domain, apiKey: app.apiKey, userId: "1" },
        app.secret,
      ),
    );
    const transport = async (document: string, variables?: Record<string, unknown>) => {
      const response = await fetch(`${store.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Access-Token": accessToken,
        },
        body: JSON.stringify({ query: document, variables }),
      });
      return response.json();
    };
    const oldest = Math.min(
      ...data.products.map((p) => p.updatedAt.getTime()),
      ...data.customers.map((c) => c.updatedAt.getTime()),
      ...data.orders.map((o) => o.updatedAt.getTime()),
    );
    expect(await requestReconciliation(sql, shop.id, new Date(oldest - DAY))).toBe(true);
    await runSyncJobs({ sql, shopId: shop.id, transport, pollIntervalMs: 20 });

    const after = await compareStoreWithDatabase(data, sql, shop.id);
    console.log(
      `replay: ${events} events (+${report.duplicates} duplicates, ${report.dropped.length} dropped, shuffled);`,
      `ingest ${(report.sent / ingestSeconds).toFixed(0)}/s, applied ${applied} in ${applySeconds.toFixed(1)} s;`,
      `${beforeRepair.differences.length} differences before reconciliation, ${after.differences.length} after;`,
      `compared ${JSON.stringify(after.counts)} on ${kind}`,
    );
    expect(after.differences.slice(0, 40)).toEqual([]);
  }, 600_000);
});
