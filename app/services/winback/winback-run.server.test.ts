import { beforeAll, describe, expect, it } from "vitest";
import { recomputeMetricsAndSegments } from "~/services/segments/metrics-and-segments.server";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { FIXED_END_DATE, generateStore } from "../../../tests/devstore/generator/generate-store";
import { DevStore } from "../../../tests/devstore/store";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import {
  executeRun,
  TemporaryActionError,
  type RunEffects,
  type WinbackEmail,
} from "./execute-run.server";
import { emitWinbackFlowTrigger } from "./flow-trigger.server";
import { dryRunRule, planRuleRun } from "./plan-run.server";
import { ruleReport } from "./rule-report.server";
import { getRule, saveRule, setRuleStatus, type StoredRule } from "./rule-store.server";
import { runDueWinbackRules } from "./run-schedule.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T15:00:00Z");
const DAY = 86_400_000;
const store = new DevStore(generateStore({ seed: 11, orders: 200, endDate: FIXED_END_DATE }));
const { bucket, transport, sleep } = devstoreAdmin(store, [
  "read_customers",
  "write_customers",
  "write_discounts",
]);
const options = { sleep };

// 60 lapsed customers (last order 120 days ago), 20 recent ones; every other one subscribed.
const customers = [...store.customersById.keys()].slice(0, 80);
const lapsed = customers.slice(0, 60);
let shopId: number;

class RecordingEffects implements RunEffects {
  transport = transport;
  options = options;
  emails: WinbackEmail[] = [];
  /** Throw after "sending" these many emails, as a crash would. */
  failEmailsAfter = Infinity;
  failWith: () => Error = () => new Error("connection reset during DATA");
  async sendEmail(email: WinbackEmail) {
    if (this.emails.length >= this.failEmailsAfter) throw this.failWith();
    this.emails.push(email);
    return { messageId: email.messageId };
  }
  async emitFlow(event: Parameters<RunEffects["emitFlow"]>[0]) {
    await emitWinbackFlowTrigger(transport, { ...event, ruleId: event.ruleId.toString() }, options);
  }
}

const RULE_CONFIG = {
  trigger: { kind: "days_since_last_order", days: 90 },
  audience: "orders_count >= 1",
  holdoutPercent: 20,
  capCount: 2,
  capDays: 30,
  cooldownDays: 30,
  quietHours: { start: 0, end: 0 },
  actions: {
    discount: { valueType: "percentage", value: 15, expiresInDays: 14, prefix: "MISSYOU" },
    offer: { title: "We miss you" },
    addTags: ["rekindle-winback"],
    email: { subject: "{{first_name}}, 15% off", body: "Use {{code}}. {{unsubscribe_url}}" },
    flowTrigger: true,
  },
};

async function activeRule(name: string, config: object): Promise<StoredRule> {
  const rule = await saveRule(sql, shopId, { name, config });
  return setRuleStatus(sql, shopId, rule.id, "active", NOW);
}

beforeAll(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: store.shop.domain } })).id;
  // These rules send emails, a paid feature (the plan gate is tested with the email deliveries).
  await subscribeShop(sql, shopId, "Pro");
  await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
  await insertCustomers(sql, shopId, customers);
  await sql.query(
    `UPDATE customer SET email = 'c' || id || '@example.com', first_name = 'C' || id,
       email_marketing = CASE WHEN id % 2 = 0 THEN 'subscribed' ELSE 'not_subscribed' END
     WHERE shop_id = $1`,
    [shopId],
  );
  await insertOrders(
    sql,
    shopId,
    customers.map((customerId, i) => ({
      id: 10_000n + BigInt(i),
      customerId,
      processedAt: new Date(NOW.getTime() - (i < 60 ? 120 : 10) * DAY),
      total: 50,
    })),
  );
  await recomputeMetricsAndSegments(sql, shopId, { now: NOW });
});

describe("win-back rules on the simulated store", () => {
  let rule: StoredRule;
  const effects = new RecordingEffects();

  it("a dry run lists who would be acted on and writes nothing", async () => {
    rule = await activeRule("Lapsed 90 days", RULE_CONFIG);
    const dry = await dryRunRule(sql, rule, NOW);
    expect(dry.counts.qualified).toBe(60);
    expect(dry.counts.targeted + dry.counts.heldOut).toBe(60);
    expect(dry.counts.heldOut).toBeGreaterThan(3);
    expect(dry.counts.heldOut).toBeLessThan(25);
    expect(dry.actionKinds).toEqual(["discount", "offer", "tags", "email", "flow"]);
    expect(dry.sample.every((row) => lapsed.includes(BigInt(row.customerId)))).toBe(true);
    const written = await sql.query(
      `SELECT 1 FROM winback_target UNION ALL SELECT 1 FROM winback_run`,
    );
    expect(written.rows).toHaveLength(0);
  });

  it("acts on the treated group only, emails only consenting customers, through throttling", async () => {
    bucket.forcedThrottles = 3;
    const { runId, counts } = await planRuleRun(sql, rule, NOW);
    const report = await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    expect(report.finished).toBe(true);
    expect(report.failed).toBe(0);

    const { rows: targets } = await sql.query<{
      customer_id: string;
      holdout: boolean;
      discount_code: string | null;
    }>(`SELECT customer_id::text, holdout, discount_code FROM winback_target WHERE run_id = $1`, [
      runId.toString(),
    ]);
    const treated = targets.filter((target) => !target.holdout);
    const held = targets.filter((target) => target.holdout);
    expect(treated).toHaveLength(counts.targeted);
    expect(held).toHaveLength(counts.heldOut);

    // One customer-restricted, single-use code per treated customer, none for the holdout.
    const discounts = store.discounts.filter((discount) => discount.code.startsWith("MISSYOU-"));
    expect(discounts).toHaveLength(treated.length);
    for (const target of treated) {
      const discount = discounts.find((candidate) => candidate.code === target.discount_code);
      expect(discount?.customerIds).toEqual([BigInt(target.customer_id)]);
      expect(discount?.usageLimit).toBe(1);
      expect(discount?.percentage).toBeCloseTo(0.15);
      const customer = store.customersById.get(BigInt(target.customer_id));
      expect(customer?.tags).toContain("rekindle-winback");
      const metafield = store.metafields.get(
        `gid://shopify/Customer/${target.customer_id}|$app:rekindle|winback_offer`,
      );
      expect(JSON.parse(metafield?.value ?? "{}")).toMatchObject({
        code: target.discount_code,
        title: "We miss you",
        text: "15% off your next order",
      });
    }
    for (const target of held) {
      expect(store.customersById.get(BigInt(target.customer_id))?.tags).not.toContain(
        "rekindle-winback",
      );
    }
    // Emails: exactly the treated customers with consent, each carrying their own code.
    const consenting = treated.filter((target) => BigInt(target.customer_id) % 2n === 0n);
    expect(effects.emails.map((email) => email.customerId.toString()).sort()).toEqual(
      consenting.map((target) => target.customer_id).sort(),
    );
    for (const email of effects.emails) {
      const target = treated.find(
        (candidate) => candidate.customer_id === String(email.customerId),
      );
      expect(email.code).toBe(target?.discount_code);
    }
    expect(store.flowTriggers).toHaveLength(treated.length);

    // The banner's offer rows and the audit log.
    const offers = await sql.query(`SELECT 1 FROM customer_offer WHERE shop_id = $1`, [shopId]);
    expect(offers.rows).toHaveLength(treated.length);
    const audit = await sql.query<{ kind: string; status: string; n: number }>(
      `SELECT kind, status, count(*)::int AS n FROM winback_action WHERE run_id = $1
       GROUP BY kind, status ORDER BY kind, status`,
      [runId.toString()],
    );
    expect(audit.rows).toContainEqual({
      kind: "email",
      status: "skipped",
      n: treated.length - consenting.length,
    });
    expect(audit.rows).toContainEqual({ kind: "discount", status: "done", n: treated.length });
  });

  it("rerunning the rule acts on nobody twice", async () => {
    const discountsBefore = store.discounts.length;
    const emailsBefore = effects.emails.length;
    const { runId, counts } = await planRuleRun(sql, rule, new Date(NOW.getTime() + DAY));
    expect(counts).toMatchObject({ qualified: 60, targeted: 0, heldOut: 0, alreadyActed: 60 });
    await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    expect(store.discounts.length).toBe(discountsBefore);
    expect(effects.emails.length).toBe(emailsBefore);
  });

  it("another rule respects the contact cap across rules", async () => {
    const capped = await activeRule("Second nudge", {
      ...RULE_CONFIG,
      capCount: 1,
      actions: { addTags: ["second"] },
    });
    const dry = await dryRunRule(sql, capped, new Date(NOW.getTime() + DAY));
    const treatedBefore = await sql.query(
      `SELECT 1 FROM winback_target WHERE shop_id = $1 AND NOT holdout`,
      [shopId],
    );
    expect(dry.counts.capped).toBe(treatedBefore.rows.length);
    expect(dry.counts.qualified).toBe(60);
  });

  it("an order with the code is attributed to the rule, and compared with the holdout", async () => {
    const { rows } = await sql.query<{ customer_id: string; discount_code: string }>(
      `SELECT customer_id::text, discount_code FROM winback_target
       WHERE rule_id = $1 AND NOT holdout ORDER BY id LIMIT 1`,
      [rule.id.toString()],
    );
    const target = rows[0];
    if (!target) throw new Error("no treated target");
    await insertOrders(sql, shopId, [
      {
        id: 99_001n,
        customerId: BigInt(target.customer_id),
        processedAt: new Date(NOW.getTime() + 3 * DAY),
        total: 80,
      },
    ]);
    await sql.query(`UPDATE "order" SET discount_codes = $2 WHERE shop_id = $1 AND id = 99001`, [
      shopId,
      [target.discount_code.toLowerCase()],
    ]);
    const report = await ruleReport(sql, shopId, rule.id, 14);
    expect(report.treated).toMatchObject({ converted: 1, orders: 1, revenue: 80, codeOrders: 1 });
    expect(report.treated.reached).toBe(report.treated.customers);
    expect(report.holdout).toMatchObject({ converted: 0, revenue: 0 });
    expect(report.lift?.treatedRate).toBeCloseTo(1 / report.treated.customers);
    expect(report.byMonth[0]?.month).toBe("2026-11");
  });
});

describe("a run interrupted mid-way", () => {
  it("resumes without a second code or a second email", async () => {
    const rule = await activeRule("Crash test", {
      ...RULE_CONFIG,
      trigger: { kind: "days_since_last_order", days: 5 },
      audience: "days_since_last_order < 60",
      holdoutPercent: 0,
      capCount: 5,
    });
    const effects = new RecordingEffects();
    // Shopify creates the first code, then the answer is lost.
    let lostAnswers = 1;
    effects.transport = async (document, variables) => {
      const body = await transport(document, variables);
      const created = document.includes("discountCodeBasicCreate") && !body.errors;
      if (created && lostAnswers-- > 0) {
        throw new Error("socket hang up");
      }
      return body;
    };
    effects.failEmailsAfter = 1;
    const { runId, counts } = await planRuleRun(sql, rule, NOW);
    expect(counts.targeted).toBe(20);
    const first = await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    expect(first.finished).toBe(false);
    // The second pass: the lost code is found taken and reused; an email whose send failed in
    // doubt is "uncertain", never sent again; a temporary SMTP refusal is retried after a wait.
    effects.failWith = () => new TemporaryActionError("451 try again later");
    effects.failEmailsAfter = 2;
    await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    effects.failEmailsAfter = Infinity;
    const soon = await executeRun(sql, shopId, runId, effects, { now: () => NOW });
    expect(soon.finished).toBe(false);
    const later = new Date(NOW.getTime() + 60_000);
    const last = await executeRun(sql, shopId, runId, effects, { now: () => later });
    expect(last.finished).toBe(true);

    const codes = await sql.query<{ discount_code: string }>(
      `SELECT discount_code FROM winback_target WHERE run_id = $1`,
      [runId.toString()],
    );
    for (const { discount_code } of codes.rows) {
      expect(store.discounts.filter((discount) => discount.code === discount_code)).toHaveLength(1);
    }
    const reused = await sql.query(
      `SELECT 1 FROM winback_action WHERE run_id = $1 AND kind = 'discount'
         AND (detail ->> 'reused')::boolean`,
      [runId.toString()],
    );
    expect(reused.rows).toHaveLength(1);
    const statuses = await sql.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM winback_action WHERE run_id = $1 AND kind = 'email'
       GROUP BY status ORDER BY status`,
      [runId.toString()],
    );
    const subscribed = await sql.query(
      `SELECT 1 FROM winback_target t JOIN customer c ON c.shop_id = t.shop_id AND c.id = t.customer_id
       WHERE t.run_id = $1 AND c.email_marketing = 'subscribed'`,
      [runId.toString()],
    );
    const consenting = subscribed.rows.length;
    expect(statuses.rows).toEqual([
      { status: "done", n: consenting - 1 },
      { status: "skipped", n: codes.rows.length - consenting },
      { status: "uncertain", n: 1 },
    ]);
    const recipients = effects.emails.map((email) => email.to);
    expect(new Set(recipients).size).toBe(recipients.length);
  });

  it("a send left in flight by a dead process is settled as uncertain, not repeated", async () => {
    const { rows } = await sql.query<{ id: string; run_id: string }>(
      `UPDATE winback_action SET status = 'sending', updated_at = '2026-01-01'
       WHERE id = (SELECT id FROM winback_action WHERE kind = 'email' AND status = 'done' LIMIT 1)
       RETURNING id::text, run_id::text`,
    );
    const action = rows[0];
    if (!action) throw new Error("no email action");
    await sql.query(`UPDATE winback_run SET status = 'executing' WHERE id = $1`, [action.run_id]);
    const effects = new RecordingEffects();
    const report = await executeRun(sql, shopId, BigInt(action.run_id), effects, {
      now: () => NOW,
    });
    expect(report).toMatchObject({ uncertain: 1, finished: true });
    expect(effects.emails).toHaveLength(0);
  });
});

describe("the background runner", () => {
  it("runs an active rule when due, never in its quiet hours, and not again before its time", async () => {
    await sql.query(`UPDATE winback_rule SET status = 'paused'`);
    const config = {
      ...RULE_CONFIG,
      trigger: { kind: "days_since_last_order", days: 5 },
      holdoutPercent: 0,
      capCount: 20,
      cooldownDays: 0,
      actions: { addTags: ["scheduled"] },
      quietHours: { start: 14, end: 16 }, // NOW is 15:00 in the shop's zone (UTC)
    };
    const rule = await activeRule("Scheduled", config);
    const effects = new RecordingEffects();
    const options = { now: () => NOW, effectsFor: async () => effects };
    const runsOf = async () =>
      (await sql.query(`SELECT 1 FROM winback_run WHERE rule_id = $1`, [rule.id.toString()])).rows
        .length;

    expect(await runDueWinbackRules(sql, options)).toBe(0);
    expect(await runsOf()).toBe(0);

    await saveRule(sql, shopId, {
      id: rule.id,
      name: "Scheduled",
      config: { ...config, quietHours: { start: 0, end: 0 } },
    });
    expect(await runDueWinbackRules(sql, options)).toBe(1);
    const run = await sql.query<{ status: string }>(
      `SELECT status FROM winback_run WHERE rule_id = $1`,
      [rule.id.toString()],
    );
    expect(run.rows).toEqual([{ status: "done" }]);
    // Not due again for everyHours (24 by default).
    expect(await runDueWinbackRules(sql, options)).toBe(0);
    const later = { ...options, now: () => new Date(NOW.getTime() + 25 * 3_600_000) };
    expect(await runDueWinbackRules(sql, later)).toBe(1);
    await setRuleStatus(sql, shopId, rule.id, "paused");
    const muchLater = { ...options, now: () => new Date(NOW.getTime() + 50 * 3_600_000) };
    expect(await runDueWinbackRules(sql, muchLater)).toBe(0);
    expect(await runsOf()).toBe(2);
  });

  it("backs a failing rule off exponentially and shows why on the rule, instead of retrying every pass", async () => {
    // GIVEN an active rule whose run cannot be planned (the database refuses its run row)
    await sql.query(`UPDATE winback_rule SET status = 'paused'`);
    const rule = await activeRule("Failing", {
      ...RULE_CONFIG,
      actions: { addTags: ["failing"] },
    });
    await sql.exec(`
      CREATE FUNCTION refuse_run() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'run refused'; END $$;
      CREATE TRIGGER refuse_run BEFORE INSERT ON winback_run FOR EACH ROW EXECUTE FUNCTION refuse_run();`);
    const at = (seconds: number) => ({
      effectsFor: async () => new RecordingEffects(),
      now: () => new Date(NOW.getTime() + seconds * 1000),
    });
    const failures = async () =>
      (
        await sql.query<{ failed_runs: number }>(
          `SELECT failed_runs FROM winback_rule WHERE id = $1`,
          [rule.id.toString()],
        )
      ).rows[0]?.failed_runs;
    try {
      // WHEN the scheduler passes every 2 seconds, then later
      await runDueWinbackRules(sql, at(0));
      for (let second = 2; second < 60; second += 2) await runDueWinbackRules(sql, at(second));
      // THEN it tried once in the first minute, and says so on the rule
      expect(await failures()).toBe(1);
      const failed = await getRule(sql, shopId, rule.id);
      expect(failed?.lastError).toEqual({ key: "ruleFailures.unexpected" });
      expect(failed?.retryAt).toEqual(new Date(NOW.getTime() + 60_000));
      // The next wait is twice as long, and so on, up to a cap.
      await runDueWinbackRules(sql, at(60));
      expect(await failures()).toBe(2);
      await runDueWinbackRules(sql, at(60 + 119));
      expect(await failures()).toBe(2);
      await runDueWinbackRules(sql, at(60 + 120));
      expect(await failures()).toBe(3);
      expect((await getRule(sql, shopId, rule.id))?.retryAt).toEqual(
        new Date(NOW.getTime() + (180 + 240) * 1000),
      );
    } finally {
      await sql.exec(`DROP TRIGGER refuse_run ON winback_run; DROP FUNCTION refuse_run()`);
    }
    // A run that succeeds clears the failure.
    await runDueWinbackRules(sql, at(420));
    const recovered = await getRule(sql, shopId, rule.id);
    expect(recovered).toMatchObject({ lastError: null, retryAt: null });
    expect(await failures()).toBe(0);
  });
});
