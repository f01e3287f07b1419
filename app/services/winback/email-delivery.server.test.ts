import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import type { Message } from "~/i18n/message";
import { reasonText } from "~/i18n/reason-text";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { saveEmailSettings, type EmailSettingsInput } from "~/services/email/email-settings.server";
import {
  DEFAULT_SEND_TIMING,
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { closeEmailTransports } from "~/services/email/send-email.server";
import { listSuppressions, suppressAddress } from "~/services/email/suppression.server";
import { startSmtpSink, type SmtpSink } from "../../../tests/helpers/smtp-sink";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { emailDeliverySummary } from "./email-deliveries.server";
import { executeRun } from "./execute-run.server";
import { planRuleRun } from "./plan-run.server";
import { saveRule, setRuleStatus } from "./rule-store.server";
import { shopRunEffects } from "./run-effects.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T15:00:00Z");
const DAY = 86_400_000;
const MINUTE = 60_000;
const CUSTOMERS = [1n, 2n, 3n];
const DOMAIN = "tea.myshopify.com";

let sink: SmtpSink;
let closedPort = 0;
let shopId = 0;
let ruleId = 0n;
let runId = 0n;

const settings = (port: number): EmailSettingsInput => ({
  host: "127.0.0.1",
  port,
  secure: false,
  username: "",
  password: "",
  fromName: "Tea & Co",
  fromAddress: "hello@tea.example",
  replyTo: null,
});

const english = i18nFor("en", ADMIN_MESSAGES.en);
const noShopify = async () => {
  throw new Error("this rule only sends email");
};
const effects = () => shopRunEffects(sql, noShopify);
const pass = (at: Date) => executeRun(sql, shopId, runId, effects(), { now: () => at });

async function emailStatuses() {
  const { rows } = await sql.query<{ status: string; error: Message | null }>(
    `SELECT status, error FROM winback_action WHERE run_id = $1 AND kind = 'email' ORDER BY id`,
    [runId.toString()],
  );
  return rows;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  const gone = await startSmtpSink();
  closedPort = gone.port;
  await gone.close();
});

afterAll(async () => {
  closeEmailTransports();
  await sink.close();
});

beforeEach(async () => {
  closeEmailTransports();
  sink.messages.length = 0;
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: DOMAIN, name: "Tea & Co" } })).id;
  // Win-back emails are a paid feature; the plan gate's own tests are in billing.
  await subscribeShop(sql, shopId, "Growth");
  await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
  await insertCustomers(sql, shopId, CUSTOMERS);
  await sql.query(
    `UPDATE customer SET email = 'c' || id || '@example.com', first_name = 'C' || id,
       email_marketing = 'subscribed' WHERE shop_id = $1`,
    [shopId],
  );
  await insertOrders(
    sql,
    shopId,
    CUSTOMERS.map((customerId, i) => ({
      id: 100n + BigInt(i),
      customerId,
      processedAt: new Date(NOW.getTime() - 120 * DAY),
      total: 40,
    })),
  );
  await recomputeMetricsAndSegments(sql, shopId, { now: NOW });
  await saveEmailSettings(sql, shopId, settings(sink.port));
  const rule = await saveRule(sql, shopId, {
    name: "Lapsed",
    config: {
      trigger: { kind: "days_since_last_order", days: 90 },
      audience: "orders_count >= 1",
      holdoutPercent: 0,
      capCount: 10,
      capDays: 30,
      cooldownDays: 30,
      quietHours: { start: 0, end: 0 },
      actions: { addTags: [], email: { subject: "We miss you", body: "Come back soon." } },
    },
  });
  ruleId = (await setRuleStatus(sql, shopId, rule.id, "active", NOW)).id;
  runId = (await planRuleRun(sql, rule, NOW)).runId;
});

describe("win-back email deliveries through a real SMTP server", () => {
  it("retries when the mail server cannot be reached, after a backoff, and sends each email once", async () => {
    // GIVEN a mail server that refuses connections
    await saveEmailSettings(sql, shopId, settings(closedPort));
    // WHEN a pass runs: nothing went out, so the email waits for a retry (not "in doubt")
    const first = await pass(NOW);
    expect(first).toMatchObject({ retrying: 3, uncertain: 0, finished: false });
    expect(await emailStatuses()).toEqual(
      CUSTOMERS.map(() => ({
        status: "retrying",
        error: { key: "actionReasons.serverUnreachable" },
      })),
    );
    // AND the server is back, but the retry waits its turn
    await saveEmailSettings(sql, shopId, settings(sink.port));
    await pass(new Date(NOW.getTime() + 30_000));
    expect(sink.messages).toHaveLength(0);
    // THEN after the backoff every email goes out once, with its planned Message-ID
    const done = await pass(new Date(NOW.getTime() + MINUTE));
    expect(done.finished).toBe(true);
    expect((await emailStatuses()).map((row) => row.status)).toEqual(["done", "done", "done"]);
    const { rows } = await sql.query<{ id: string }>(
      `SELECT id::text FROM winback_action WHERE run_id = $1 ORDER BY id`,
      [runId.toString()],
    );
    expect(sink.messages.map((message) => message.messageId).sort()).toEqual(
      rows.map((row) => `<winback-${row.id}.${runId}@rekindle.app>`).sort(),
    );
    // AND each is the shop's branded email: the rule's body as its text block, its last order,
    // the footer's unsubscribe link, which is also the one-click List-Unsubscribe header.
    const [mail] = sink.messages;
    expect(mail?.subject).toBe("We miss you");
    expect(mail?.html).toContain("Come back soon.");
    expect(mail?.html).toContain("Your last order");
    expect(mail?.text).toContain("Come back soon.");
    const unsubscribe = /^<(.+)>$/.exec(mail?.listUnsubscribe ?? "")?.[1] ?? "none";
    expect(mail?.html).toContain(`href="${unsubscribe.replace(/&/g, "&amp;")}"`);
    expect(mail?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
  });

  it("retries a 4xx reply, and fails a 5xx reply at once with the reason", async () => {
    sink.rejectNextRecipients(1, 451, "4.7.1 Greylisted <c1@example.com>");
    await pass(NOW);
    expect(await emailStatuses()).toContainEqual({
      status: "retrying",
      error: { key: "actionReasons.addressLater", values: { replyCode: 451 } },
    });
    sink.rejectNextRecipients(1, 550, "5.1.1 No such user <c1@example.com>");
    const report = await pass(new Date(NOW.getTime() + MINUTE));
    expect(report).toMatchObject({ failed: 1, finished: true });
    const statuses = await emailStatuses();
    expect(statuses.filter((row) => row.status === "done")).toHaveLength(2);
    const refused = { key: "actionReasons.addressRefused", values: { replyCode: 550 } };
    expect(statuses).toContainEqual({ status: "failed", error: refused });
    expect(reasonText(english.t, refused)).toBe(
      "Your mail server refused the customer's email address. Mail server reply: 550.",
    );
    // The reason never quotes the server's reply, which names the customer.
    expect(JSON.stringify(statuses)).not.toContain("@example.com");
    expect(sink.messages).toHaveLength(2);
  });

  it("gives up after the attempt limit with the reason", async () => {
    await saveEmailSettings(sql, shopId, settings(closedPort));
    let at = NOW;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await pass(at);
      at = new Date(at.getTime() + 64 * MINUTE);
    }
    expect(await emailStatuses()).toEqual(
      CUSTOMERS.map(() => ({
        status: "failed",
        error: { key: "actionReasons.serverUnreachable", values: { attempts: 5 } },
      })),
    );
  });

  it("an email the server may have taken before the connection dropped is uncertain and never sent again", async () => {
    // GIVEN a server that keeps the first message, then cuts the connection without answering
    sink.dropAfterNextMessages(1);
    const report = await pass(NOW);
    expect(report).toMatchObject({ uncertain: 1, done: 2, finished: true });
    expect(await emailStatuses()).toContainEqual({
      status: "uncertain",
      error: { key: "actionReasons.sendInDoubt" },
    });
    // WHEN later passes run
    await pass(new Date(NOW.getTime() + DAY));
    // THEN the message exists once on the server: nothing repeated it
    expect(sink.messages).toHaveLength(3);
    expect(new Set(sink.messages.map((message) => message.to)).size).toBe(3);
  });

  it("sums a rule's deliveries for the rule page, reasons as message keys", async () => {
    sink.rejectNextRecipients(1, 550, "5.1.1 No such user");
    await pass(NOW);
    expect(await emailDeliverySummary(sql, shopId, ruleId)).toEqual({
      sent: 2,
      waiting: 0,
      retrying: 0,
      failed: 1,
      uncertain: 0,
      reasons: [
        {
          reason: { key: "actionReasons.addressRefused", values: { replyCode: 550 } },
          count: 1,
        },
      ],
    });
  });
});

describe("the plan gate on win-back emails", () => {
  async function emailOutcomes() {
    const { rows } = await sql.query<{ status: string; reason: Message | null }>(
      `SELECT status, detail -> 'reason' AS reason FROM winback_action
       WHERE run_id = $1 AND kind = 'email' ORDER BY id`,
      [runId.toString()],
    );
    return rows;
  }

  it("on the Free plan, no email is sent and each is skipped saying which plan sends them", async () => {
    // GIVEN the shop cancelled its paid subscription, so it is on Free
    await sql.query(
      `UPDATE app_subscription SET status = 'CANCELLED', updated_at = now() WHERE shop_id = $1`,
      [shopId],
    );
    // WHEN the run executes
    const report = await pass(NOW);
    // THEN nothing reached the mail server, and the rule page can say why
    expect(sink.messages).toHaveLength(0);
    expect(report).toMatchObject({ skipped: 3, done: 0, finished: true });
    expect(await emailOutcomes()).toEqual(
      CUSTOMERS.map(() => ({
        status: "skipped",
        reason: {
          key: "planLimit.notIncluded.winbackEmail",
          values: expect.objectContaining({ plan: "free", upgrade: "growth" }),
        },
      })),
    );
  });

  it("on Growth with more orders in the last 30 days than it covers, emails pause until Pro", async () => {
    // GIVEN 5,001 orders in the last 30 days (Growth covers 5,000)
    await sql.query(
      `INSERT INTO "order" (shop_id, id, name, currency, total_price, subtotal_price,
                            processed_at, created_at, shopify_updated_at)
       SELECT $1, 10000 + n, '#' || n, 'USD', 10, 10, $2::timestamptz, $2::timestamptz,
              $2::timestamptz
       FROM generate_series(1, 5001) AS n`,
      [shopId, new Date(NOW.getTime() - 2 * DAY).toISOString()],
    );
    // WHEN the run executes
    await pass(NOW);
    // THEN no email went out, and the reason names the volume and the plan that covers it
    expect(sink.messages).toHaveLength(0);
    expect((await emailOutcomes())[0]).toEqual({
      status: "skipped",
      reason: {
        key: "planLimit.overVolume.winbackEmail",
        values: { plan: "growth", upgrade: "pro", orders: 5001, covered: 5000 },
      },
    });
  });
});

describe("the suppression list on win-back emails", () => {
  it("GIVEN a mail server that refuses an address for good WHEN the run sends THEN the address is listed as a hard bounce with the reply", async () => {
    // GIVEN the server first answers one recipient "try later" (451): nothing is listed
    sink.rejectNextRecipients(1, 451, "4.7.1 Try later");
    await pass(NOW);
    expect((await listSuppressions(sql, shopId)).total).toBe(0);
    // WHEN the retry of that email gets 550
    sink.rejectNextRecipients(1, 550, "5.1.1 No such user");
    await pass(new Date(NOW.getTime() + MINUTE));
    // THEN its address is on the list with the server's reply, and only that one
    const { rows: failed } = await sql.query<{ customer_id: string }>(
      `SELECT customer_id::text FROM winback_action WHERE run_id = $1 AND status = 'failed'`,
      [runId.toString()],
    );
    const refused = failed[0]?.customer_id;
    expect(refused).toBeDefined();
    const { entries, total } = await listSuppressions(sql, shopId);
    expect(total).toBe(1);
    expect(entries).toEqual([
      expect.objectContaining({
        email: `c${refused}@example.com`,
        reason: "hard_bounce",
        customerId: refused,
        detail: "550 5.1.1 No such user",
      }),
    ]);
  });

  it("GIVEN a listed address WHEN the run executes THEN its email is skipped with the reason and never reaches the server", async () => {
    // GIVEN customer 2 complained of spam and customer 3's address bounced
    await suppressAddress(sql, shopId, { email: "C2@Example.com", reason: "complaint" });
    await suppressAddress(sql, shopId, { email: "c3@example.com", reason: "hard_bounce" });
    // WHEN the run executes
    const report = await pass(NOW);
    // THEN only customer 1 got the email, and the others' records say why they did not
    expect(sink.messages.map((message) => message.to)).toEqual(["c1@example.com"]);
    expect(report).toMatchObject({ done: 1, skipped: 2, finished: true });
    const { rows } = await sql.query<{ customer_id: string; status: string; suppressed: string }>(
      `SELECT customer_id::text, status, detail ->> 'suppressed' AS suppressed
       FROM winback_action WHERE run_id = $1 AND kind = 'email' AND status = 'skipped'
       ORDER BY customer_id`,
      [runId.toString()],
    );
    expect(rows).toEqual([
      { customer_id: "2", status: "skipped", suppressed: "complaint" },
      { customer_id: "3", status: "skipped", suppressed: "hard_bounce" },
    ]);
  });

  it("GIVEN the shop's quiet hours and cap WHEN a run executes at night THEN its emails wait for the morning once, and a customer over the cap is skipped with a reason", async () => {
    // GIVEN quiet hours 21:00-08:00 (UTC shop), two emails a week, and customer 3 already had two
    await saveSendTiming(sql, shopId, { ...DEFAULT_SEND_TIMING, optimizeSendTime: false });
    await sql.query(
      `INSERT INTO winback_action (shop_id, rule_id, run_id, target_id, customer_id, kind,
                                   position, status, updated_at)
       VALUES ($1, $2, $3, 900, 3, 'email', 0, 'done', $4::timestamptz AT TIME ZONE 'UTC'),
              ($1, $2, $3, 901, 3, 'email', 0, 'done', $4::timestamptz AT TIME ZONE 'UTC')`,
      [
        shopId,
        ruleId.toString(),
        runId.toString(),
        new Date(NOW.getTime() - 2 * DAY).toISOString(),
      ],
    );
    const night = new Date("2026-11-20T22:30:00Z");
    // WHEN the run executes at night, twice
    const first = await pass(night);
    const again = await pass(new Date(night.getTime() + 60 * MINUTE));
    // THEN nothing went out; two emails wait for 08:00, once each, and the capped one is skipped
    expect(sink.messages).toHaveLength(0);
    expect(first).toMatchObject({ deferred: 2, skipped: 1, finished: false });
    expect(again).toMatchObject({ deferred: 0, done: 0, finished: false });
    const { rows } = await sql.query<{ customer_id: string; until: string | null; key: string }>(
      `SELECT customer_id::text, detail ->> 'deferredUntil' AS until,
              detail -> 'reason' ->> 'key' AS key
       FROM winback_action WHERE run_id = $1 AND kind = 'email' AND target_id < 900
       ORDER BY customer_id`,
      [runId.toString()],
    );
    expect(rows).toEqual([
      { customer_id: "1", until: "2026-11-21T08:00:00.000Z", key: null },
      { customer_id: "2", until: "2026-11-21T08:00:00.000Z", key: null },
      { customer_id: "3", until: null, key: "sendTiming.skip.frequencyCap" },
    ]);
    // AND in the morning each waiting email goes out once
    const morning = await pass(new Date("2026-11-21T08:00:00Z"));
    expect(morning).toMatchObject({ done: 2 });
    expect(sink.messages.map((message) => message.to).sort()).toEqual([
      "c1@example.com",
      "c2@example.com",
    ]);
  });
});
