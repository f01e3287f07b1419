import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { recomputeMetricsAndSegments } from "../app/services/segments/metrics-and-segments.server";
import { localSmtpSettings, saveEmailSettings } from "../app/services/email/email-settings.server";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "../app/services/send-timing/send-timing-settings.server";
import { closeEmailTransports } from "../app/services/email/send-email.server";
import type { AdminGraphqlTransport } from "../app/services/shopify/admin-graphql.server";
import { executeRun } from "../app/services/winback/execute-run.server";
import { dryRunRule, planRuleRun } from "../app/services/winback/plan-run.server";
import { shopRunEffects } from "../app/services/winback/run-effects.server";
import { saveRule, setRuleStatus } from "../app/services/winback/rule-store.server";
import { FIXED_END_DATE, generateStore } from "../tests/devstore/generator/generate-store";
import { AdminGraphqlEndpoint } from "../tests/devstore/graphql/admin-endpoint";
import { loadAdminSchema } from "../tests/devstore/graphql/admin-schema";
import { CostBucket } from "../tests/devstore/graphql/throttle";
import { DevStore } from "../tests/devstore/store";
import { startSmtpSink } from "../tests/helpers/smtp-sink";
import { scratchDatabase } from "./lib/postgres";
import { subscribeShop } from "../tests/helpers/app-plan";
import { loadGeneratedShop } from "./lib/shop-data";

const AS_OF = new Date("2026-11-01T12:00:00Z");
/** A Shopify Plus store's Admin API allowance: 20,000 points, restored at 1,000 per second. */
const PLUS_BUCKET = { maximum: 20_000, restorePerSecond: 1_000 };

export interface WinbackFigures {
  customers: number;
  /** Evaluating the rule (trigger, audience, cool-down, cap, holdout) without writing. */
  evaluateSeconds: number;
  qualified: number;
  /** Writing the run: targets and every pending action, in one transaction. */
  planSeconds: number;
  targeted: number;
  heldOut: number;
  actions: number;
  emails: number;
  executeSeconds: number;
  actionsPerSecond: number;
  /** THROTTLED answers the executor waited out. */
  throttled: number;
  /** What the bucket allows for these calls at its restore rate, for comparison. */
  bucketBoundSeconds: number;
  failed: number;
}

/**
 * A win-back rule over a shop of `customers` customers on real PostgreSQL, acting on up to
 * `maxTargets` of them: a customer-only discount code and the banner's offer metafield (two
 * Admin API calls each, against the simulated store's real-schema endpoint with a Plus-sized
 * cost bucket) and an email to a local SMTP server for those with consent.
 */
export async function benchWinback(customers: number, maxTargets: number): Promise<WinbackFigures> {
  // Codes and unsubscribe links are signed with the app's secret: a bench configuration when run
  // on its own (the test run has its own).
  process.env.SHOPIFY_API_KEY ??= "bench-key";
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_APP_URL ??= "https://rekindle.bench";
  process.env.SCOPES ??= "write_customers,write_discounts";
  process.env.LOG_LEVEL ??= "warn";
  process.env.SMTP_ALLOWED_PRIVATE_HOSTS ??= "127.0.0.1";
  const db = await scratchDatabase();
  const sink = await startSmtpSink();
  try {
    const { shopId } = await loadGeneratedShop(db.sql, {
      domain: "winback-bench.myshopify.com",
      customers,
      targetOrders: customers * 5,
      asOf: AS_OF,
    });
    // Win-back emails are a paid feature: the shop is on the plan with no order limit.
    await subscribeShop(db.sql, shopId, "Pro");
    await recomputeMetricsAndSegments(db.sql, shopId, { now: AS_OF });
    await db.sql.query(
      `UPDATE customer SET email = 'customer' || id || '@example.com', first_name = 'C' || id,
         email_marketing = CASE WHEN id % 3 = 0 THEN 'subscribed' ELSE 'not_subscribed' END
       WHERE shop_id = $1`,
      [shopId],
    );
    await saveEmailSettings(
      db.sql,
      shopId,
      localSmtpSettings(sink, { name: "Bench shop", address: "shop@example.com" }),
    );
    // Sending speed is what is measured: every email goes when due (the cap is still checked).
    await saveSendTiming(db.sql, shopId, IMMEDIATE_SEND_TIMING);
    // The simulated store's customers carry the same ids as the bench's (1..n).
    const store = new DevStore(generateStore({ seed: 1, orders: 10, endDate: FIXED_END_DATE }));
    const template = store.data.customers[0];
    if (!template) throw new Error("the generated store has no customers");
    for (let id = 1n; id <= BigInt(customers); id++) {
      store.customersById.set(id, { ...template, id, tags: [] });
    }
    const bucket = new CostBucket(PLUS_BUCKET.maximum, PLUS_BUCKET.restorePerSecond);
    const endpoint = new AdminGraphqlEndpoint(loadAdminSchema(), store, {
      bulkResultBaseUrl: () => "http://127.0.0.1:9",
      bucket,
    });
    let throttled = 0;
    let pointsSpent = 0;
    const transport: AdminGraphqlTransport = async (document, variables) => {
      const { body } = await endpoint.handle({ query: document, variables }, [
        "write_customers",
        "write_discounts",
      ]);
      const answer = body as {
        errors?: Array<{ extensions?: { code?: string } }>;
        extensions?: { cost?: { requestedQueryCost?: number } };
      };
      if (answer.errors?.some((error) => error.extensions?.code === "THROTTLED")) throttled += 1;
      else pointsSpent += answer.extensions?.cost?.requestedQueryCost ?? 0;
      return body as never;
    };

    const saved = await saveRule(db.sql, shopId, {
      name: "Lapsed repeat buyers",
      config: {
        trigger: { kind: "days_since_last_order", days: 90 },
        audience: "orders_count >= 2",
        holdoutPercent: 10,
        quietHours: { start: 0, end: 0 },
        maxPerRun: maxTargets,
        actions: {
          discount: { valueType: "percentage", value: 15, expiresInDays: 14 },
          offer: { title: "We miss you" },
          email: { subject: "{{first_name}}, {{discount}}", body: "Use {{code}}." },
        },
      },
    });
    const rule = await setRuleStatus(db.sql, shopId, saved.id, "active", AS_OF);

    const evaluateStarted = performance.now();
    const dry = await dryRunRule(db.sql, rule, AS_OF);
    const evaluateSeconds = (performance.now() - evaluateStarted) / 1000;
    const planStarted = performance.now();
    const { runId, counts } = await planRuleRun(db.sql, rule, AS_OF);
    const planSeconds = (performance.now() - planStarted) / 1000;

    const effects = shopRunEffects(db.sql, transport);
    const executeStarted = performance.now();
    let report = await executeRun(db.sql, shopId, runId, effects, { now: () => AS_OF });
    while (!report.finished) report = await executeRun(db.sql, shopId, runId, effects);
    const executeSeconds = (performance.now() - executeStarted) / 1000;
    const { rows } = await db.sql.query<{ actions: number; failed: number }>(
      `SELECT count(*) FILTER (WHERE status = 'done')::int AS actions,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM winback_action WHERE run_id = $1`,
      [runId.toString()],
    );
    const actions = rows[0]?.actions ?? 0;
    return {
      customers,
      evaluateSeconds: Number(evaluateSeconds.toFixed(2)),
      qualified: dry.counts.qualified,
      planSeconds: Number(planSeconds.toFixed(2)),
      targeted: counts.targeted,
      heldOut: counts.heldOut,
      actions,
      emails: sink.messages.length,
      executeSeconds: Number(executeSeconds.toFixed(1)),
      actionsPerSecond: Math.round(actions / executeSeconds),
      throttled,
      bucketBoundSeconds: Number(
        (Math.max(0, pointsSpent - PLUS_BUCKET.maximum) / PLUS_BUCKET.restorePerSecond).toFixed(1),
      ),
      failed: rows[0]?.failed ?? 0,
    };
  } finally {
    closeEmailTransports();
    await sink.close();
    await db.drop();
  }
}

// node --import tsx bench/winback.ts [customers] [max targets]: this benchmark alone.
if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const figures = await benchWinback(
    Number(process.argv[2] ?? 200_000),
    Number(process.argv[3] ?? 5_000),
  );
  console.table([figures]);
  // The structured logger's transport would keep the process alive.
  process.exit(0);
}
