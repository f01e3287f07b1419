import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordingFlowEffects } from "../../../tests/helpers/recording-flow-effects";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { getDatabase } from "~/db.server";
import { suppressAddress } from "~/services/email/suppression.server";
import { insertPixelEvents } from "~/services/behaviour/testing/pixel-event-rows";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { stickyVariant } from "~/services/email/tracking/sticky-variant.server";
import {
  FLOW_STEP_QUEUE,
  openFlowQueue,
  type FlowQueue,
  type FlowStepJob,
} from "./flow-queue.server";
import {
  createFlowFromTemplate,
  getFlow,
  listFlows,
  saveFlowEdits,
  saveFlowSteps,
  setFlowActive,
} from "./flow-store.server";
import { runFlowStep, type FlowEffects } from "./flow-steps.server";
import { enterDueCustomers } from "./flow-triggers.server";
import { startFlowStepWorkers } from "./flow-worker.server";

// The flows on the embedded database (PGlite), through the real pg-boss queue: triggers enter
// customers once per occurrence, workers run the steps, consent is read at sending time, and a
// flow edited while customers are in it keeps them on the version they entered with.
const { sql, prisma } = await migratedTestDatabase();
const HOUR = 3_600_000;
let queue: FlowQueue;
let shopId = 0;
const { sent, effects } = recordingFlowEffects();

beforeAll(async () => {
  queue = await openFlowQueue(getDatabase().queueDatabase, {
    expireInSeconds: 30,
    superviseIntervalSeconds: 5,
    pollingIntervalSeconds: 0.5,
    concurrency: 1,
    retryDelaySeconds: 1,
  });
}, 60_000);

afterAll(async () => {
  await queue.stop();
});

beforeEach(async () => {
  sent.length = 0;
  await queue.boss.deleteAllJobs();
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com", name: "Tea" } })).id;
  await subscribeShop(sql, shopId, "Growth");
  // These tests run on the real clock: emails go out when due (send timing has its own tests).
  await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
});

async function addCustomer(id: bigint, createdAt: Date, consent = "subscribed") {
  await sql.query(
    `INSERT INTO customer (shop_id, id, email, first_name, email_marketing, created_at,
                           shopify_updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC',
             $6::timestamptz AT TIME ZONE 'UTC')`,
    [shopId, id.toString(), `c${id}@example.com`, `C${id}`, consent, createdAt.toISOString()],
  );
}

async function runs() {
  const { rows } = await sql.query<{
    id: string;
    customer_id: string;
    occurrence_key: string;
    version: number;
    step_index: number;
    status: string;
  }>(
    `SELECT id::text, customer_id::text, occurrence_key, version, step_index, status
     FROM message_flow_run WHERE shop_id = $1 ORDER BY customer_id, id`,
    [shopId],
  );
  return rows;
}

const job = (runId: string, stepIndex: number): FlowStepJob => ({ shopId, runId, stepIndex });

describe("message flows on PGlite", () => {
  it("GIVEN a welcome flow WHEN customers sign up THEN consenting ones get the first email once, through the queue", async () => {
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    const on = new Date(Date.now() - HOUR);
    await setFlowActive(sql, shopId, flowId, true, on);
    await addCustomer(1n, new Date(on.getTime() - HOUR)); // before the flow was on: not entered
    await addCustomer(2n, new Date());
    await addCustomer(3n, new Date(), "unsubscribed");

    expect(await enterDueCustomers(sql, queue, () => true)).toBe(2);
    // A second evaluation finds the same occurrences already entered.
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(0);

    const workers = await startFlowStepWorkers(sql, queue, () => effects);
    try {
      await expect
        .poll(async () => (await runs()).every((r) => r.step_index === 2), {
          timeout: 15_000,
        })
        .toBe(true);
    } finally {
      await workers.stop();
    }
    expect(sent.map((email) => email.to)).toEqual(["c2@example.com"]);
    expect(sent[0]?.message.subject).toBe("Welcome to {{shop_name}}");
    const [summary] = await listFlows(sql, shopId);
    expect(summary?.entered).toBe(2);
    expect(summary?.stepCounts[0]).toMatchObject({ sent: 1, skipped: 1 });
    // After the first email comes a 72-hour wait: both are queued at the second email.
    expect(summary?.stepCounts[2]?.waiting).toBe(2);
  }, 30_000);

  it("GIVEN customers in a flow WHEN the merchant edits it THEN they continue on their version and newcomers get the new one", async () => {
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    const on = new Date(Date.now() - HOUR);
    await setFlowActive(sql, shopId, flowId, true, on);
    await addCustomer(1n, new Date());
    await enterDueCustomers(sql, queue, () => true);
    const edited = [
      { kind: "email", subject: "New welcome", body: "Hello {{first_name}}" },
      { kind: "wait", hours: 1 },
      { kind: "email", subject: "New second email", body: "Again" },
    ];
    expect(await saveFlowSteps(sql, shopId, flowId, edited)).toBe(2);
    await addCustomer(2n, new Date());
    await enterDueCustomers(sql, queue, () => true);

    const entered = await runs();
    expect(entered.map((run) => run.version)).toEqual([1, 2]);
    const now = new Date();
    for (const run of entered) {
      await runFlowStep(sql, queue, job(run.id, 0), effects, now);
      await runFlowStep(sql, queue, job(run.id, 1), effects, now);
      // The step already run is a leftover when its job comes again.
      expect(await runFlowStep(sql, queue, job(run.id, 1), effects, now)).toBe("leftover");
      await runFlowStep(sql, queue, job(run.id, 2), effects, new Date(now.getTime() + 80 * HOUR));
    }
    expect(sent.map((email) => [email.to, email.message.subject])).toEqual([
      ["c1@example.com", "Welcome to {{shop_name}}"],
      ["c1@example.com", "Our customers' favourites"],
      ["c2@example.com", "New welcome"],
      ["c2@example.com", "New second email"],
    ]);
    expect((await runs()).map((run) => run.status)).toEqual(["done", "done"]);
  }, 30_000);

  it("GIVEN an abandoned checkout WHEN hours pass with no order THEN the customer enters once, and an order takes them out", async () => {
    const flowId = await createFlowFromTemplate(sql, shopId, "abandoned_checkout");
    const on = new Date(Date.now() - 10 * HOUR);
    await setFlowActive(sql, shopId, flowId, true, on);
    await addCustomer(1n, on);
    await addCustomer(2n, on);
    const checkout = (id: number, customer: bigint, updatedHoursAgo: number) =>
      sql.query(
        `INSERT INTO checkout (shop_id, id, token, customer_id, currency, total_price, created_at,
                               shopify_updated_at)
         VALUES ($1, $2, $3, $4, 'USD', 10, now() - make_interval(hours => $5),
                 now() - make_interval(hours => $5))`,
        [shopId, id, `t${id}`, customer.toString(), updatedHoursAgo],
      );
    await checkout(1, 1n, 5); // abandoned 5 hours ago: past the 4 hours
    await checkout(2, 2n, 1); // still fresh
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
    const [run] = await runs();
    expect(run).toMatchObject({ customer_id: "1", occurrence_key: "checkout:1" });
    const runId = run?.id ?? "";

    await runFlowStep(sql, queue, job(runId, 0), effects);
    await runFlowStep(sql, queue, job(runId, 1), effects);
    await sql.query(
      `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
                            processed_at, created_at, shopify_updated_at)
       VALUES ($1, 9, 1, '#9', 'USD', 10, 10, now(), now(), now())`,
      [shopId],
    );
    expect(
      await runFlowStep(sql, queue, job(runId, 2), effects, new Date(Date.now() + 30 * HOUR)),
    ).toBe("exited");
    expect(sent).toHaveLength(1);
  });

  it("GIVEN an abandoned-checkout flow set to 10 minutes with a 15-minute wait WHEN a checkout is left 11 minutes THEN the customer enters and the wait ends 15 minutes on", async () => {
    const flowId = await createFlowFromTemplate(sql, shopId, "abandoned_checkout");
    const template = await getFlow(sql, shopId, flowId);
    await saveFlowEdits(sql, shopId, flowId, {
      trigger: { type: "checkout_abandoned", afterHours: 0, afterMinutes: 10 },
      steps: (template?.steps ?? []).map((step) =>
        step.kind === "wait" ? { kind: "wait", hours: 0, minutes: 15 } : step,
      ),
    });
    await expect(
      saveFlowEdits(sql, shopId, flowId, {
        trigger: { type: "customer_created" },
      }),
    ).rejects.toThrow();
    const on = new Date(Date.now() - HOUR);
    await setFlowActive(sql, shopId, flowId, true, on);
    await addCustomer(1n, on);
    await addCustomer(2n, on);
    for (const [id, minutesAgo] of [
      [1, 11],
      [2, 9],
    ] as const) {
      await sql.query(
        `INSERT INTO checkout (shop_id, id, token, customer_id, currency, total_price, created_at,
                               shopify_updated_at)
         VALUES ($1, $2, $3, $2, 'USD', 10, now() - make_interval(mins => $4),
                 now() - make_interval(mins => $4))`,
        [shopId, id, `t${id}`, minutesAgo],
      );
    }
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
    const [run] = await runs();
    expect(run).toMatchObject({ customer_id: "1", occurrence_key: "checkout:1" });
    const now = new Date();
    await runFlowStep(sql, queue, job(run?.id ?? "", 0), effects, now);
    await runFlowStep(sql, queue, job(run?.id ?? "", 1), effects, now);
    const { rows } = await sql.query<{ next_at: Date }>(
      `SELECT next_at FROM message_flow_run WHERE id = $1`,
      [run?.id],
    );
    expect(new Date(rows[0]?.next_at ?? 0).getTime() - now.getTime()).toBe(15 * 60_000);
  });

  it("GIVEN paid orders, stage moves and overdue predictions THEN each trigger enters the customers it names", async () => {
    const now = new Date();
    const on = new Date(now.getTime() - 30 * 24 * HOUR);
    for (const key of ["post_purchase", "winback", "predicted_overdue"] as const) {
      await setFlowActive(sql, shopId, await createFlowFromTemplate(sql, shopId, key), true, on);
    }
    for (const id of [1n, 2n, 3n]) await addCustomer(id, on);
    await sql.query(
      `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
                            financial_status, processed_at, created_at, shopify_updated_at)
       VALUES ($1, 1, 1, '#1', 'USD', 10, 10, 'paid', now() - interval '15 days',
               now() - interval '15 days', now()),
              ($1, 2, 2, '#2', 'USD', 10, 10, 'paid', now() - interval '2 days',
               now() - interval '2 days', now())`,
      [shopId],
    );
    await sql.query(
      `INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
       VALUES ($1, 2, 'active', 'at_risk', now()), ($1, 3, 'active', 'loyal', now())`,
      [shopId],
    );
    await sql.query(
      `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue,
                                     lifecycle_stage, prob_alive, predicted_next_order_at,
                                     next_order_due_at, computed_at)
       VALUES ($1, 3, 2, 20, 'loyal', 0.4, now() + interval '20 days',
               now() - interval '2 days', now()),
              ($1, 1, 2, 20, 'active', 0.9, now() + interval '20 days',
               now() - interval '2 days', now()),
              ($1, 2, 2, 20, 'at_risk', 0.3, now() + interval '20 days',
               now() - interval '61 days', now())`,
      [shopId],
    );
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(3);
    const keys = (await runs()).map(
      (run) => `${run.customer_id} ${run.occurrence_key.split(":")[0]}`,
    );
    // 1: the order 15 days ago (cross-sell after 14), not overdue at P(alive) 0.9; 2: into
    // at_risk, not overdue (due 61 days ago, over 30 days before the flow was on); 3: due 2 days
    // ago with P(alive) 0.4, though the rolling prediction (predicted_next_order_at) is ahead.
    expect(keys).toEqual(["1 order", "2 stage", "3 overdue"]);
  });

  it("GIVEN a next-order-overdue flow set to wait until a minute of the shop's clock WHEN an overdue customer enters THEN the email is due at that minute, not at the template's 10:00", async () => {
    // Kolkata keeps UTC+05:30 all year: the shop's clock without Intl.
    await sql.query(`UPDATE shop SET iana_timezone = 'Asia/Kolkata' WHERE id = $1`, [shopId]);
    const now = new Date();
    const due = new Date(Math.floor((now.getTime() + 7 * 60_000) / 60_000) * 60_000);
    const shopClock = new Date(due.getTime() + 5.5 * HOUR);
    const flowId = await createFlowFromTemplate(sql, shopId, "predicted_overdue");
    const template = await getFlow(sql, shopId, flowId);
    await saveFlowSteps(
      sql,
      shopId,
      flowId,
      (template?.steps ?? []).map((step) =>
        step.kind === "wait_until"
          ? { ...step, hour: shopClock.getUTCHours(), minute: shopClock.getUTCMinutes() }
          : step,
      ),
    );
    await setFlowActive(sql, shopId, flowId, true, new Date(now.getTime() - HOUR));
    await addCustomer(3n, new Date(now.getTime() - 90 * 24 * HOUR));
    await sql.query(
      `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue,
                                     lifecycle_stage, prob_alive, next_order_due_at,
                                     computed_at)
       VALUES ($1, 3, 3, 30, 'at_risk', 0.4, now() - interval '1 day', now())`,
      [shopId],
    );
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
    const [run] = await runs();
    await runFlowStep(sql, queue, job(run?.id ?? "", 0), effects, now);
    const { rows } = await sql.query<{ next_at: Date }>(
      `SELECT next_at FROM message_flow_run WHERE id = $1`,
      [run?.id],
    );
    expect(new Date(rows[0]?.next_at ?? 0).toISOString()).toBe(due.toISOString());
    await runFlowStep(sql, queue, job(run?.id ?? "", 1), effects, due);
    expect(sent.map((email) => email.to)).toEqual(["c3@example.com"]);
  });

  it("GIVEN product views from the web pixel WHEN the browse-abandonment flow evaluates THEN only consenting viewers who neither carted nor bought enter, once per browsing", async () => {
    const now = new Date();
    const on = new Date(now.getTime() - 24 * HOUR);
    await setFlowActive(
      sql,
      shopId,
      await createFlowFromTemplate(sql, shopId, "browse_abandoned"),
      true,
      on,
    );
    // 1 qualifies; 2 added to cart; 3 allowed no marketing in the pixel; 4 is unsubscribed;
    // 5 viewed once only; 6 viewed before the flow was turned on.
    for (const id of [1n, 2n, 3n, 5n, 6n]) await addCustomer(id, on);
    await addCustomer(4n, on, "unsubscribed");
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);
    const view = (
      customer: bigint,
      hoursAgo: number,
      extra: { name?: string; marketing?: boolean } = {},
    ) => ({
      eventId: `e-${customer}-${hoursAgo}-${extra.name ?? "view"}`,
      occurredAt: at(hoursAgo),
      clientId: `browser-${customer}`,
      customerId: customer,
      name: extra.name ?? "product_viewed",
      productId: 77n,
      marketingConsent: extra.marketing ?? true,
    });
    await insertPixelEvents(sql, shopId, [
      view(1n, 5),
      view(1n, 3),
      view(2n, 5),
      view(2n, 3),
      view(2n, 2, { name: "product_added_to_cart" }),
      view(3n, 5, { marketing: false }),
      view(3n, 3, { marketing: false }),
      view(4n, 5),
      view(4n, 3),
      view(5n, 3),
      view(6n, 40),
      view(6n, 30),
    ]);

    expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(0);
    expect((await runs()).map((run) => `${run.customer_id} ${run.occurrence_key}`)).toEqual([
      `1 browse:77:${at(5).toISOString().slice(0, 10)}`,
    ]);
  });
});

describe("a step that fails on every attempt (dead letter)", () => {
  it("GIVEN a step that keeps throwing WHEN its last retry fails THEN the run ends as failed with retries_exhausted and is not retried again", async () => {
    // GIVEN a flow whose first step changes tags, and the Admin API refusing every call
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    await saveFlowSteps(sql, shopId, flowId, [
      { kind: "tag", add: ["vip"], remove: [] },
      { kind: "email", subject: "Never sent", body: "Hi" },
    ]);
    await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - HOUR));
    await addCustomer(1n, new Date());
    await enterDueCustomers(sql, queue, () => true);
    const [run] = await runs();
    // The entry's job is replaced by one on its last allowed attempt.
    await queue.boss.deleteAllJobs();
    await queue.boss.send(FLOW_STEP_QUEUE, job(run?.id ?? "", 0), { retryLimit: 0 });
    let calls = 0;
    const refusing: FlowEffects = {
      ...effects,
      changeTags: async () => {
        calls += 1;
        throw new Error("Admin API unavailable");
      },
    };
    // WHEN the workers run it
    const workers = await startFlowStepWorkers(sql, queue, () => refusing);
    try {
      await expect.poll(async () => (await runs())[0]?.status, { timeout: 15_000 }).toBe("failed");
    } finally {
      await workers.stop();
    }
    // THEN the run ended with the reason the admin shows (the error itself only in the logs),
    // and nothing more happened
    const { rows } = await sql.query<{ exit_reason: string; status: string; error: unknown }>(
      `SELECT r.exit_reason, s.status, s.error FROM message_flow_run r
       JOIN message_flow_step s ON s.shop_id = r.shop_id AND s.run_id = r.id
       WHERE r.shop_id = $1`,
      [shopId],
    );
    expect(rows).toEqual([
      {
        exit_reason: "retries_exhausted",
        status: "failed",
        error: { key: "actionReasons.failed" },
      },
    ]);
    expect(calls).toBe(1);
    expect(sent).toEqual([]);
    expect((await listFlows(sql, shopId))[0]).toMatchObject({ entered: 1, failed: 1, inFlow: 0 });
    const { rows: waiting } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job
       WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
      [FLOW_STEP_QUEUE],
    );
    expect(waiting).toEqual([{ n: 0 }]);
  }, 30_000);
  it("GIVEN a step whose last attempt never finishes WHEN its job expires THEN the run ends as failed with retries_exhausted", async () => {
    // GIVEN a flow whose first step changes tags, and an Admin API call that hangs
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    await saveFlowSteps(sql, shopId, flowId, [{ kind: "tag", add: ["vip"], remove: [] }]);
    await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - HOUR));
    await addCustomer(1n, new Date());
    await enterDueCustomers(sql, queue, () => true);
    const [run] = await runs();
    await queue.boss.deleteAllJobs();
    // Its last attempt, allowed one second.
    await queue.boss.send(FLOW_STEP_QUEUE, job(run?.id ?? "", 0), {
      retryLimit: 0,
      expireInSeconds: 1,
    });
    const hanging: FlowEffects = {
      ...effects,
      changeTags: () => new Promise((resolve) => setTimeout(resolve, 12_000)),
    };
    // WHEN the workers take it and the queue's supervisor finds it expired
    const workers = await startFlowStepWorkers(sql, queue, () => hanging);
    try {
      await expect.poll(async () => (await runs())[0]?.status, { timeout: 20_000 }).toBe("failed");
    } finally {
      await workers.stop();
    }
    // THEN the run ended with the reason the admin shows
    const { rows } = await sql.query<{ exit_reason: string; status: string }>(
      `SELECT r.exit_reason, s.status FROM message_flow_run r
       JOIN message_flow_step s ON s.shop_id = r.shop_id AND s.run_id = r.id
       WHERE r.shop_id = $1`,
      [shopId],
    );
    expect(rows).toEqual([{ exit_reason: "retries_exhausted", status: "failed" }]);
  }, 45_000);
});

/** Enters every customer into an active welcome flow and runs its first step (an email). */
async function runFirstEmail(now: Date, edit?: (flowId: bigint) => Promise<void>) {
  const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
  await edit?.(flowId);
  await setFlowActive(sql, shopId, flowId, true, new Date(now.getTime() - HOUR));
  await enterDueCustomers(sql, queue, () => true);
  const { rows } = await sql.query<{ id: string }>(
    `SELECT id::text FROM message_flow_run WHERE shop_id = $1 ORDER BY customer_id`,
    [shopId],
  );
  for (const run of rows) await runFlowStep(sql, queue, job(run.id, 0), effects, now);
  const { rows: steps } = await sql.query<{
    customer_id: string;
    status: string;
    reason: string | null;
    suppressed: string | null;
  }>(
    `SELECT r.customer_id::text, s.status, s.detail -> 'reason' ->> 'key' AS reason,
            s.detail ->> 'suppressed' AS suppressed
     FROM message_flow_step s
     JOIN message_flow_run r ON r.shop_id = s.shop_id AND r.id = s.run_id
     WHERE s.shop_id = $1 AND s.step_index = 0 ORDER BY r.customer_id`,
    [shopId],
  );
  return steps;
}

describe("who a flow's email goes to: consent and the suppression list", () => {
  it("GIVEN customers without email marketing consent WHEN their email step runs THEN nothing is sent to them", async () => {
    // GIVEN one consenting customer and one in every other consent state Shopify reports
    const now = new Date();
    const states = ["subscribed", "not_subscribed", "unsubscribed", "pending", "invalid"];
    for (const [i, state] of states.entries()) await addCustomer(BigInt(i + 1), now, state);
    // WHEN the flow's first email step runs for each of them
    const steps = await runFirstEmail(now);
    // THEN only the consenting customer got an email; each other step says why it was skipped
    expect(sent.map((email) => email.to)).toEqual(["c1@example.com"]);
    expect(steps).toEqual([
      { customer_id: "1", status: "done", reason: null, suppressed: null },
      ...[2, 3, 4, 5].map((id) => ({
        customer_id: String(id),
        status: "skipped",
        reason: "actionReasons.noConsent",
        suppressed: null,
      })),
    ]);
  }, 30_000);

  it("GIVEN consenting customers whose addresses are suppressed WHEN their email step runs THEN it is skipped with the list's reason", async () => {
    // GIVEN three consenting customers: one bounced, one complained
    const now = new Date();
    for (const id of [1n, 2n, 3n]) await addCustomer(id, now);
    await suppressAddress(sql, shopId, { email: "c2@example.com", reason: "hard_bounce" });
    await suppressAddress(sql, shopId, { email: "C3@EXAMPLE.COM", reason: "complaint" });
    // WHEN the flow's first email step runs
    const steps = await runFirstEmail(now);
    // THEN only the first customer got it, and the others' steps count the reason
    expect(sent.map((email) => email.to)).toEqual(["c1@example.com"]);
    expect(steps.map((step) => [step.customer_id, step.status, step.suppressed])).toEqual([
      ["1", "done", null],
      ["2", "skipped", "hard_bounce"],
      ["3", "skipped", "complaint"],
    ]);
  }, 30_000);
});

describe("an email step's A/B test", () => {
  it("GIVEN a step with a variant B WHEN customers reach it THEN each gets the variant their hash names, sticky per customer and step, recorded on the step", async () => {
    const now = new Date();
    const customers = Array.from({ length: 12 }, (_, i) => BigInt(i + 1));
    for (const id of customers) await addCustomer(id, now);
    let flowId = 0n;
    // GIVEN the welcome flow's first email with a second subject and text
    await runFirstEmail(now, async (id) => {
      flowId = id;
      const flow = await getFlow(sql, shopId, id);
      const steps = (flow?.steps ?? []).map((step, index) =>
        index === 0 && step.kind === "email"
          ? { ...step, variantB: { subject: "A gift inside", body: "Take a look." } }
          : step,
      );
      await saveFlowSteps(sql, shopId, id, steps);
    });
    // THEN each customer got the variant their hash names, with that variant's subject
    const expected = customers.map((id) => stickyVariant(id, `${flowId}:0`));
    expect(new Set(expected)).toEqual(new Set(["A", "B"]));
    expect(sent.map((email) => email.variant)).toEqual(expected);
    for (const email of sent) {
      expect(email.message.subject).toBe(
        email.variant === "B" ? "A gift inside" : "Welcome to {{shop_name}}",
      );
      expect(email.source).toMatchObject({ kind: "flow", flowId, stepIndex: 0 });
    }
    // AND the step records which variant went out
    const { rows } = await sql.query<{ variant: string }>(
      `SELECT s.detail ->> 'variant' AS variant FROM message_flow_step s
       JOIN message_flow_run r ON r.shop_id = s.shop_id AND r.id = s.run_id
       WHERE s.shop_id = $1 AND s.step_index = 0 ORDER BY r.customer_id`,
      [shopId],
    );
    expect(rows.map((row) => row.variant)).toEqual(expected);
  }, 30_000);
});

describe("a branch on opens and clicks of the flow's emails", () => {
  it("GIVEN two customers past the flow's first email, one who clicked it WHEN the 'clicked' branch runs THEN the clicker goes on and the other leaves", async () => {
    const now = new Date();
    for (const id of [1n, 2n]) await addCustomer(id, now);
    let flowId = 0n;
    await runFirstEmail(now, async (id) => {
      flowId = id;
      await saveFlowSteps(sql, shopId, id, [
        { kind: "email", subject: "Hello", body: "Have a look." },
        {
          kind: "condition",
          condition: { type: "engaged_with_flow", action: "clicked" },
          ifTrue: 2,
          ifFalse: "exit",
        },
        { kind: "email", subject: "More for you", body: "Glad you liked it." },
      ]);
    });
    // The email row sendCustomerEmail keeps; customer 1 clicked theirs.
    await sql.query(
      `INSERT INTO email_message (shop_id, message_key, customer_id, flow_id, step_index, status,
                                  sent_at, clicks)
       SELECT $1, '<m' || c || '@rekindle.app>', c, $2, 0, 'sent', now(), CASE WHEN c = 1 THEN 1 ELSE 0 END
       FROM unnest(ARRAY[1, 2]::bigint[]) AS c`,
      [shopId, flowId.toString()],
    );
    const { rows } = await sql.query<{ id: string }>(
      `SELECT id::text FROM message_flow_run WHERE shop_id = $1 ORDER BY customer_id`,
      [shopId],
    );
    for (const run of rows) await runFlowStep(sql, queue, job(run.id, 1), effects, now);
    expect((await runs()).map((run) => [run.customer_id, run.status, run.step_index])).toEqual([
      ["1", "active", 2],
      ["2", "exited", 1],
    ]);
  }, 30_000);
});

describe("the frequency cap inside a claimed batch", () => {
  /** Workers that run many steps at once claim the due steps in one batch, until no run is active. */
  async function runDueStepsInOneBatch() {
    const wide = await openFlowQueue(getDatabase().queueDatabase, {
      pollingIntervalSeconds: 0.5,
      concurrency: 8,
    });
    const workers = await startFlowStepWorkers(sql, wide, () => effects);
    try {
      await expect
        .poll(async () => (await runs()).every((r) => r.status !== "active"), { timeout: 15_000 })
        .toBe(true);
    } finally {
      await workers.stop();
      await wide.stop();
    }
  }

  it("GIVEN one customer due for emails of two flows and a cap of one a day WHEN workers claim both steps in one batch THEN one email goes out and the other is skipped for the cap", async () => {
    // GIVEN two welcome flows of one email each, a cap of one email a day, and one customer
    await saveSendTiming(sql, shopId, { ...IMMEDIATE_SEND_TIMING, capCount: 1, capDays: 1 });
    for (const subject of ["First flow", "Second flow"]) {
      const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
      await saveFlowSteps(sql, shopId, flowId, [{ kind: "email", subject, body: "Hi" }]);
      await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - HOUR));
    }
    await addCustomer(1n, new Date());
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(2);
    // WHEN workers that run many steps at once claim both in one batch
    await runDueStepsInOneBatch();
    // THEN the customer got one of the two emails; the other step says why it was skipped
    expect(sent).toHaveLength(1);
    const { rows } = await sql.query<{ status: string; reason: string | null }>(
      `SELECT status, detail -> 'reason' ->> 'key' AS reason FROM message_flow_step
       WHERE shop_id = $1 ORDER BY status`,
      [shopId],
    );
    expect(rows).toEqual([
      { status: "done", reason: null },
      { status: "skipped", reason: "sendTiming.skip.frequencyCap" },
    ]);
  }, 30_000);

  it("GIVEN three customers, one already emailed by another flow today, and a cap of one a day WHEN workers claim the three steps in one batch THEN the two others get the email and the one emailed is skipped for the cap", async () => {
    // GIVEN customer 2 emailed today by a first flow, turned off since
    await saveSendTiming(sql, shopId, { ...IMMEDIATE_SEND_TIMING, capCount: 1, capDays: 1 });
    const flow = async (subject: string) => {
      const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
      await saveFlowSteps(sql, shopId, flowId, [{ kind: "email", subject, body: "Hi" }]);
      await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - HOUR));
      return flowId;
    };
    const earlier = await flow("Earlier");
    await addCustomer(2n, new Date());
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
    const [first] = await runs();
    expect(await runFlowStep(sql, queue, job(first?.id ?? "", 0), effects)).toBe("done");
    await setFlowActive(sql, shopId, earlier, false);
    // ... and a second flow all three customers enter
    await flow("Now");
    await addCustomer(1n, new Date());
    await addCustomer(3n, new Date());
    expect(await enterDueCustomers(sql, queue, () => true)).toBe(3);
    // WHEN workers that run many steps at once claim the three in one batch
    await runDueStepsInOneBatch();
    // THEN customers 1 and 3 got the second flow's email, customer 2 only the first's
    expect(sent.map((email) => [email.to, email.message.subject]).sort()).toEqual([
      ["c1@example.com", "Now"],
      ["c2@example.com", "Earlier"],
      ["c3@example.com", "Now"],
    ]);
    const { rows } = await sql.query<{ customer_id: string; reason: string | null }>(
      `SELECT r.customer_id::text, st.detail -> 'reason' ->> 'key' AS reason
       FROM message_flow_step st JOIN message_flow_run r ON r.shop_id = st.shop_id AND r.id = st.run_id
       WHERE st.shop_id = $1 AND st.status = 'skipped'`,
      [shopId],
    );
    expect(rows).toEqual([{ customer_id: "2", reason: "sendTiming.skip.frequencyCap" }]);
  }, 30_000);
});
