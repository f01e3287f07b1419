/**
 * Flow email steps that give each customer a discount code, on real PostgreSQL, with codes made
 * by the simulated store's Admin API and emails received by a real SMTP server: one code per
 * customer and step however often the step is tried, the code in both parts of the email in
 * the customer's language, nothing sent without it, and an order that uses it credited to the
 * email. Skipped (with the reason printed) when no server is reachable.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FIXED_END_DATE, generateStore } from "../../../tests/devstore/generator/generate-store";
import { DevStore } from "../../../tests/devstore/store";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { recordingFlowEffects } from "../../../tests/helpers/recording-flow-effects";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../../../tests/helpers/scratch-postgres";
import { SHARED_DIR } from "../../../tests/helpers/shared-data";
import { startSmtpSink, type SmtpSink } from "../../../tests/helpers/smtp-sink";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { localSmtpSettings, saveEmailSettings } from "~/services/email/email-settings.server";
import { failureReason } from "~/services/email/failure-reason";
import { CustomerEmailError } from "~/services/email/send-customer-email.server";
import { closeEmailTransports } from "~/services/email/send-email.server";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { applyRecordBatch, parseEvent } from "~/services/sync/apply-events.server";
import { message } from "~/i18n/message";
import { createCustomerDiscount } from "~/services/winback/shopify-actions.server";
import { FlowDiscountError } from "./flow-discount.server";
import { openFlowQueue, type FlowQueue, type FlowStepJob } from "./flow-queue.server";
import { failExhaustedRun, runFlowStep, type FlowEffects } from "./flow-steps.server";
import { createFlowFromTemplate, saveFlowSteps, setFlowActive } from "./flow-store.server";
import { enterDueCustomers } from "./flow-triggers.server";
import { shopFlowEffects } from "./flow-worker.server";

const unavailable = await postgresUnavailableReason();
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
// eslint-disable-next-line no-console -- a skipped database test must say why it did not run
if (unavailable) console.warn(`flow discount test skipped: ${unavailable}`);

const HOUR = 3_600_000;
const DAY = 86_400_000;
const TEN_PERCENT_FOR_14_DAYS = {
  valueType: "percentage",
  value: 10,
  minimumSubtotal: null,
  expiresInDays: 14,
} as const;
const STEPS = [
  {
    kind: "email",
    subject: "A little something, {{first_name}}",
    body: "Hi {{first_name}}, here is a code for your next order.",
    discount: TEN_PERCENT_FOR_14_DAYS,
  },
  { kind: "wait", hours: 1 },
];

describe.skipIf(!scratch)("flow email steps with a discount code, on PostgreSQL", () => {
  const store = new DevStore(generateStore({ seed: 19, orders: 40, endDate: FIXED_END_DATE }));
  const [english, turkish] = [...store.customersById.keys()];
  const admin = devstoreAdmin(store, ["read_customers", "read_products", "write_discounts"]);
  const withoutDiscounts = devstoreAdmin(store, ["read_customers", "read_products"]);
  let database: Awaited<ReturnType<typeof migratedTestDatabase>>;
  let queue: FlowQueue;
  let sink: SmtpSink;
  let shopId = 0;

  beforeAll(async () => {
    database = await migratedTestDatabase();
    queue = await openFlowQueue(database.queueDatabase, { retryDelaySeconds: 1 });
    sink = await startSmtpSink();
  }, 60_000);

  afterAll(async () => {
    closeEmailTransports();
    await queue?.stop();
    await sink?.close();
    await database?.sql.close();
    await scratch?.drop();
  });

  beforeEach(async () => {
    const { sql, prisma } = database;
    closeEmailTransports();
    sink.messages.length = 0;
    store.discounts.length = 0;
    await queue.boss.deleteAllJobs();
    await truncateAppTables();
    shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com", name: "Tea" } })).id;
    await subscribeShop(sql, shopId, "Growth");
    await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
    await saveEmailSettings(
      sql,
      shopId,
      localSmtpSettings(
        { host: "127.0.0.1", port: sink.port },
        { name: "Tea", address: "shop@tea.example" },
      ),
    );
  });

  /** The two customers enter a flow whose first step is an email with 10% for 14 days. */
  async function enterFlow(): Promise<{ english: FlowStepJob; turkish: FlowStepJob }> {
    const { sql } = database;
    for (const [id, locale] of [
      [english, "en"],
      [turkish, "tr-TR"],
    ] as const) {
      await sql.query(
        `INSERT INTO customer (shop_id, id, email, first_name, email_marketing, locale,
                               created_at, shopify_updated_at)
         VALUES ($1, $2, $3, 'Ada', 'subscribed', $4, now(), now())`,
        [shopId, String(id), `c${id}@example.com`, locale],
      );
    }
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    await saveFlowSteps(sql, shopId, flowId, STEPS);
    await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - HOUR));
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(2);
    const { rows } = await sql.query<{ id: string; customer_id: string }>(
      `SELECT id::text, customer_id::text FROM message_flow_run WHERE shop_id = $1`,
      [shopId],
    );
    const jobOf = (customer: bigint | undefined): FlowStepJob => ({
      shopId,
      runId: rows.find((row) => row.customer_id === String(customer))?.id ?? "missing",
      stepIndex: 0,
    });
    return { english: jobOf(english), turkish: jobOf(turkish) };
  }

  async function stepRecord(job: FlowStepJob) {
    const { rows } = await database.sql.query<{
      status: string;
      attempts: number;
      error: { key: string } | null;
      discount: { code: string; id: string; endsAt: string } | null;
    }>(
      `SELECT status, attempts, error, discount FROM message_flow_step
       WHERE shop_id = $1 AND run_id = $2 AND step_index = $3`,
      [job.shopId, job.runId, job.stepIndex],
    );
    return rows[0];
  }

  const discountsOf = (customer: bigint | undefined) =>
    store.discounts.filter((discount) => discount.customerIds.includes(customer ?? -1n));

  it("GIVEN an email step with 10% for 14 days WHEN it runs THEN each customer's own single-use code is in both parts of their email, in their language", async () => {
    const jobs = await enterFlow();
    const effects = shopFlowEffects(database.sql, shopId, async () => admin.transport);

    expect(await runFlowStep(database.sql, queue, jobs.english, effects)).toBe("done");
    expect(await runFlowStep(database.sql, queue, jobs.turkish, effects)).toBe("done");

    const [mine] = discountsOf(english);
    expect(discountsOf(english)).toHaveLength(1);
    expect(mine).toMatchObject({ percentage: 0.1, usageLimit: 1, customerIds: [english] });
    expect(mine?.code).toMatch(/^OFFER-[0-9A-Z]{10}$/);
    expect(mine && mine.endsAt && mine.endsAt.getTime() - mine.startsAt.getTime()).toBe(14 * DAY);
    expect((await stepRecord(jobs.english))?.discount).toMatchObject({ code: mine?.code });

    const mails = await sink.waitFor(2);
    const toEnglish = mails.find((mail) => mail.to === `c${english}@example.com`);
    const endsOn = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(
      mine?.endsAt ?? undefined,
    );
    for (const part of [toEnglish?.text, toEnglish?.html]) {
      expect(part).toContain(mine?.code);
      expect(part).toContain("10% off your next order");
      expect(part).toContain(endsOn);
    }
    const [theirs] = discountsOf(turkish);
    const toTurkish = mails.find((mail) => mail.to === `c${turkish}@example.com`);
    expect(theirs?.code).not.toBe(mine?.code);
    expect(toTurkish?.text).toContain(theirs?.code);
    expect(toTurkish?.text).toContain("Bir sonraki siparişinizde %10 indirim");
  });

  it("GIVEN a send that failed after the code was made WHEN the step is retried THEN the same code goes out and Shopify has one", async () => {
    const jobs = await enterFlow();
    const { sent, effects } = recordingFlowEffects(admin);
    const failingOnce: FlowEffects = {
      ...effects,
      sendEmail: async () => {
        failingOnce.sendEmail = effects.sendEmail;
        throw new CustomerEmailError(message("actionReasons.emailLater"), "temporary");
      },
    };

    await expect(runFlowStep(database.sql, queue, jobs.english, failingOnce)).rejects.toThrow(
      CustomerEmailError,
    );
    const kept = (await stepRecord(jobs.english))?.discount;
    expect(await runFlowStep(database.sql, queue, jobs.english, failingOnce)).toBe("done");
    expect(sent).toHaveLength(1);

    expect(discountsOf(english).map((discount) => discount.code)).toEqual([kept?.code]);
    expect(sent[0]?.offer).toMatchObject({
      code: kept?.code,
      expiresAt: new Date(kept?.endsAt ?? ""),
    });
    expect(await stepRecord(jobs.english)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("GIVEN a worker that died after Shopify made the code and before it was kept WHEN the step runs again THEN Shopify's code is found and sent, not a second one", async () => {
    const jobs = await enterFlow();
    const { sent, effects } = recordingFlowEffects(admin);
    const diesAfterCreating: FlowEffects = {
      ...effects,
      createDiscount: async (request) => {
        await createCustomerDiscount(admin, request);
        throw new Error("worker killed");
      },
    };

    await expect(
      runFlowStep(database.sql, queue, jobs.english, diesAfterCreating),
    ).rejects.toThrow();
    expect((await stepRecord(jobs.english))?.discount).toBeNull();
    expect(sent).toHaveLength(0);
    expect(await runFlowStep(database.sql, queue, jobs.english, effects)).toBe("done");

    const [only] = discountsOf(english);
    expect(discountsOf(english)).toHaveLength(1);
    expect(sent.map((email) => email.offer?.code)).toEqual([only?.code]);
    expect((await stepRecord(jobs.english))?.discount?.id).toBe(
      `gid://shopify/DiscountCodeNode/${only?.id}`,
    );
  });

  it("GIVEN an app without access to discounts or an uninstalled shop WHEN the step runs THEN it fails with the reason in the merchant's words and nothing is sent", async () => {
    const jobs = await enterFlow();
    const { sent, effects } = recordingFlowEffects(withoutDiscounts);

    expect(await runFlowStep(database.sql, queue, jobs.english, effects)).toBe("failed");
    expect(await stepRecord(jobs.english)).toMatchObject({
      status: "failed",
      error: { key: "actionReasons.discountNoAccess" },
      discount: null,
    });

    await database.sql.query(`UPDATE shop SET state = 'uninstalled' WHERE id = $1`, [shopId]);
    const uninstalled = shopFlowEffects(database.sql, shopId, async () => admin.transport);
    expect(await runFlowStep(database.sql, queue, jobs.turkish, uninstalled)).toBe("failed");
    expect((await stepRecord(jobs.turkish))?.error).toMatchObject({
      key: "actionReasons.discountNotInstalled",
    });
    expect(sent).toHaveLength(0);
    expect(sink.messages).toHaveLength(0);
    expect(store.discounts).toHaveLength(0);
  });

  it("GIVEN Shopify throttling past the app's patience WHEN the step's retries run out THEN nothing was sent and the run ends with that reason", async () => {
    const jobs = await enterFlow();
    const throttled = recordingFlowEffects({
      transport: async () => ({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      }),
      options: { maxThrottleRetries: 1, sleep: async () => undefined },
    });

    const error = await runFlowStep(database.sql, queue, jobs.english, throttled.effects).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FlowDiscountError);
    expect(error).toMatchObject({ permanent: false });
    expect(await failExhaustedRun(database.sql, jobs.english, failureReason(error), 6)).toBe(true);
    expect((await stepRecord(jobs.english))?.error).toMatchObject({
      key: "actionReasons.discountLater",
    });
    expect(throttled.sent).toHaveLength(0);
  });

  it("GIVEN a sent code WHEN an orders/create body uses it THEN the order is credited to that email without an open or a click", async () => {
    const jobs = await enterFlow();
    const effects = shopFlowEffects(database.sql, shopId, async () => admin.transport);
    await runFlowStep(database.sql, queue, jobs.english, effects);
    const code = discountsOf(english)[0]?.code ?? "";

    const CUSTOMER_ID = "customer id";
    const body = JSON.parse(
      readFileSync(path.join(SHARED_DIR, "shopify/webhooks/orders__create.json"), "utf8"),
    ) as Record<string, unknown> & { customer: Record<string, unknown> };
    const order = {
      ...body,
      id: 880001,
      customer: { ...body.customer, id: CUSTOMER_ID },
      created_at: new Date(Date.now() + HOUR).toISOString(),
      processed_at: new Date(Date.now() + HOUR).toISOString(),
      discount_codes: [{ code: code.toLowerCase(), amount: "4.00", type: "percentage" }],
      // Shopify's sample body is a cancelled test order; the customer's is neither.
      test: false,
      cancelled_at: null,
      cancel_reason: null,
    };
    const parsed = parseEvent({
      shopId: String(shopId),
      id: "1",
      partitionDay: "2026-12-05",
      shopDomain: "tea.myshopify.com",
      topic: "orders/create",
      webhookId: "order-with-code",
      // The customer's id has more digits than a JSON number keeps exactly: written as sent.
      payload: JSON.stringify(order).replace(`"${CUSTOMER_ID}"`, String(english)),
      attempts: 0,
      triggeredAt: null,
      receivedAt: new Date(),
    });
    await applyRecordBatch(database.sql, shopId, parsed.records);

    const { rows } = await database.sql.query<{ touch: string; step_index: number; opens: number }>(
      `SELECT a.touch, m.step_index, m.opens + m.clicks AS opens FROM email_attribution a
       JOIN email_message m ON m.shop_id = a.shop_id AND m.id = a.message_id
       WHERE a.shop_id = $1 AND a.order_id = 880001`,
      [shopId],
    );
    expect(rows).toEqual([{ touch: "code", step_index: 0, opens: 0 }]);
  });
});
