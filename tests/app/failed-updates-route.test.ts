import { beforeEach, describe, expect, it } from "vitest";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { customerBody, enqueueWebhook, orderBody } from "../sync/inbox-helpers";
import * as failedUpdatesPage from "~/routes/app.sync_.failed-updates";
import { renderAdminDocument } from "../helpers/admin-document";
import { loader as syncLoader } from "~/routes/app.sync";

// The failed-updates page and the Sync page's count, behind real embedded-admin authentication.
const { sql, prisma } = await migratedTestDatabase();

const OTHER_SHOP = "someone-else.myshopify.com";
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP } });
  await prisma.shop.create({ data: { domain: OTHER_SHOP } });
  await storeOfflineSession();
  // Two unusable orders and one good customer for this shop, one unusable order elsewhere.
  await enqueueWebhook(TEST_SHOP, "orders/create", {
    ...orderBody("1", "2026-01-01T00:00:00Z"),
    id: "1x",
  });
  await enqueueWebhook(TEST_SHOP, "orders/updated", {
    ...orderBody("2", "2026-01-01T00:00:00Z"),
    customer: "guest",
  });
  await enqueueWebhook(TEST_SHOP, "customers/create", customerBody("3", "2026-01-01T00:00:00Z"));
  await enqueueWebhook(OTHER_SHOP, "orders/create", {
    ...orderBody("4", "2026-01-01T00:00:00Z"),
    id: "4x",
  });
  await drainInbox(sql);
});

const { loader, action } = failedUpdatesPage;
const load = async () =>
  loader({
    request: await embeddedAdminRequest("/app/sync/failed-updates"),
    params: {},
    context: {},
  });
const post = async (form: Record<string, string>) =>
  action({
    request: await embeddedAdminRequest("/app/sync/failed-updates", form),
    params: {},
    context: {},
  });
const statuses = async () =>
  (
    await sql.query<{ shop_domain: string; status: string }>(
      `SELECT shop_domain, status FROM webhook_inbox ORDER BY id`,
    )
  ).rows.map((row) => `${row.shop_domain === TEST_SHOP ? "ours" : "theirs"}:${row.status}`);

describe("/app/sync/failed-updates", () => {
  it("lists the shop's dead letters with what, when and why, as message keys", async () => {
    const { total, letters } = await load();
    expect(total).toBe(2);
    expect(letters.map(({ topic, reason }) => ({ topic, reason }))).toEqual([
      {
        topic: "orders/updated",
        reason: { key: "deadReasons.partMalformed", values: { value: "guest" } },
      },
      {
        topic: "orders/create",
        reason: { key: "deadReasons.idUnusable", values: { value: "1x" } },
      },
    ]);
    const sync = await syncLoader({
      request: await embeddedAdminRequest("/app/sync"),
      params: {},
      context: {},
    });
    expect(sync.status.deadLetterCount).toBe(2);
  });

  it("retries one dead letter, and only the shop's own", async () => {
    const [newest] = (await load()).letters;
    expect(await post({ intent: "retry", id: newest?.id ?? "" })).toMatchObject({ ok: true });
    expect(await statuses()).toEqual(["ours:dead", "ours:pending", "ours:done", "theirs:dead"]);
    // Another shop's dead letter cannot be retried from here.
    const theirs = await sql.query<{ id: string }>(
      `SELECT id::text FROM webhook_inbox WHERE shop_domain = $1`,
      [OTHER_SHOP],
    );
    expect(await post({ intent: "retry", id: theirs.rows[0]?.id ?? "" })).toMatchObject({
      ok: false,
    });
    expect((await statuses())[3]).toBe("theirs:dead");
  });

  it("retries all of the shop's dead letters, which apply once their data can be saved", async () => {
    expect(await post({ intent: "retry-all" })).toEqual({
      ok: true,
      message: { key: "failedUpdates.retried", values: { count: 2 } },
    });
    expect(await statuses()).toEqual(["ours:pending", "ours:pending", "ours:done", "theirs:dead"]);
    expect((await load()).total).toBe(0);
    // Still unusable, they return to the list with their reason.
    await drainInbox(sql);
    expect((await load()).total).toBe(2);
  });

  it("refuses a malformed request and changes nothing", async () => {
    const forms: Array<Record<string, string>> = [
      { intent: "retry", id: "1;DROP" },
      { intent: "retry" },
      { intent: "purge" },
    ];
    for (const form of forms) {
      const response = (await post(form)) as Response;
      expect(response.status).toBe(400);
      expect(await formAnswer(response)).toEqual({
        ok: false,
        message: { key: "common.unrecognisedRequest" },
      });
    }
    expect(await statuses()).toEqual(["ours:dead", "ours:dead", "ours:done", "theirs:dead"]);
  });

  it("words each reason in the merchant's language, and an unknown one generically", async () => {
    // GIVEN a third dead letter whose stored reason this version has no text for (an old row)
    await sql.query(
      `UPDATE webhook_inbox SET dead_reason = '{"key":"deadReasons.retiredCode"}'::jsonb
       WHERE shop_domain = $1 AND topic = 'orders/create'`,
      [TEST_SHOP],
    );
    // WHEN the page is rendered in English and in Persian
    const page = async (query: string) => {
      const answer = await renderAdminDocument(
        await embeddedAdminRequest(`/app/sync/failed-updates${query}`),
        {
          id: "routes/app.sync_.failed-updates",
          path: "sync/failed-updates",
          module: failedUpdatesPage,
        },
      );
      expect(answer.status).toBe(200);
      // What the merchant sees: the markup without the loader's data the scripts carry.
      const html = (await answer.text()).replace(/<script[\s\S]*?<\/script>/g, "");
      return html.replaceAll("&#x27;", "'");
    };
    const english = await page("");
    const persian = await page("?locale=fa");
    // THEN each reads its own sentences, with the value from the shop, and never a key
    expect(english).toContain(
      "The value 'guest' in this update isn't in the shape Shopify documents.",
    );
    expect(english).toContain("Rekindle couldn't read or apply this update.");
    expect(persian).toContain(
      "مقدار «guest» در این به‌روزرسانی شکلی را که Shopify مستند کرده ندارد.",
    );
    expect(persian).toContain("Rekindle نتوانست این به‌روزرسانی را بخواند یا اعمال کند.");
    for (const html of [english, persian]) expect(html).not.toMatch(/deadReasons\./);
  });
});
