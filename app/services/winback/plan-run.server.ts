/**
 * Planning a rule run: who qualifies (trigger ∩ audience), who is left alone (already acted on
 * for this occurrence, cooling down, at the contact cap, over the per-run limit), and who is
 * held back as the control group. A real run writes the run, its targets and every action as
 * pending in one transaction, so a crash before the commit leaves nothing and a crash after it
 * leaves a complete plan for the executor to finish. A dry run answers the same question and
 * writes nothing.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { getEnv } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { audienceQuery } from "~/services/segments/audience-sql";
import { parseSegment } from "~/services/segments/language";
import { winbackDiscountCode } from "./discount-code";
import { isHeldOut } from "./holdout";
import type { RuleActions } from "./rule-config";
import type { StoredRule } from "./rule-store.server";
import { triggerCandidatesSql } from "./trigger-sql";

export type ActionKind = "discount" | "offer" | "tags" | "email" | "flow";

export interface PlanCounts {
  /** Found by the trigger and inside the audience. */
  qualified: number;
  targeted: number;
  heldOut: number;
  /** Already acted on (or held out) for this occurrence of the trigger. */
  alreadyActed: number;
  coolingDown: number;
  capped: number;
  /** Beyond the rule's per-run maximum; they qualify again next run. */
  overLimit: number;
}

export interface PlannedTarget {
  customerId: bigint;
  triggerKey: string;
  holdout: boolean;
  discountCode: string | null;
}

export interface Plan {
  counts: PlanCounts;
  targets: PlannedTarget[];
  actionKinds: ActionKind[];
}

/** How far back a dry run of a rule that is not on looks for segment entries and stage moves. */
const DRY_RUN_EVENT_DAYS = 7;

/** The actions a treated customer gets, in the order they run (later ones use the code). */
export function actionKinds(actions: RuleActions): ActionKind[] {
  const kinds: ActionKind[] = [];
  if (actions.discount) kinds.push("discount");
  if (actions.offer) kinds.push("offer");
  if (actions.addTags.length > 0 || actions.removeTags.length > 0) kinds.push("tags");
  if (actions.email) kinds.push("email");
  if (actions.flowTrigger) kinds.push("flow");
  return kinds;
}

interface CandidateRow {
  customer_id: string;
  trigger_key: string;
  already: boolean;
  cooling: boolean;
  recent_contacts: number;
  clv: string | null;
}

/** Evaluates the rule now against the shop's data; reads only. */
export async function evaluateRule(sql: SqlQueryable, rule: StoredRule, now: Date): Promise<Plan> {
  const { config } = rule;
  const audience = config.audience
    ? audienceQuery(rule.shopId, parseSegment(config.audience).ast)
    : {
        from: `FROM customer c WHERE c.shop_id = $1 AND c.deleted_at IS NULL`,
        params: [rule.shopId],
      };
  const since = rule.activatedAt ?? new Date(now.getTime() - DRY_RUN_EVENT_DAYS * 86_400_000);
  const trigger = triggerCandidatesSql(
    config.trigger,
    { shopParam: "$1", now, since, ruleId: rule.id },
    audience.params.length + 1,
  );
  const params = [...audience.params, ...trigger.params];
  const at = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const ruleParam = at(rule.id.toString());
  const nowParam = `(${at(now.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  const { rows } = await sql.query<CandidateRow>(
    `WITH audience AS (SELECT c.id ${audience.from} AND c.redacted_at IS NULL),
     candidates AS (
       SELECT k.customer_id, k.trigger_key,
              EXISTS (SELECT 1 FROM winback_target t
                      WHERE t.shop_id = $1 AND t.rule_id = ${ruleParam}
                        AND t.customer_id = k.customer_id
                        AND t.trigger_key = k.trigger_key) AS already
       FROM (${trigger.sql}) k JOIN audience a ON a.id = k.customer_id)
     SELECT DISTINCT ON (k.customer_id) k.customer_id::text, k.trigger_key, k.already,
            EXISTS (SELECT 1 FROM winback_target t
                    WHERE t.shop_id = $1 AND t.rule_id = ${ruleParam}
                      AND t.customer_id = k.customer_id
                      AND t.created_at > ${nowParam} - make_interval(days => ${at(config.cooldownDays)})
                   ) AS cooling,
            (SELECT count(*)::int FROM winback_target t
             WHERE t.shop_id = $1 AND t.customer_id = k.customer_id AND NOT t.holdout
               AND t.created_at > ${nowParam} - make_interval(days => ${at(config.capDays)})
            ) AS recent_contacts,
            m.predicted_clv::text AS clv
     FROM candidates k
     LEFT JOIN customer_metrics m ON m.shop_id = $1 AND m.customer_id = k.customer_id
     ORDER BY k.customer_id, k.already, k.trigger_key DESC`,
    params,
  );
  const counts: PlanCounts = {
    qualified: rows.length,
    targeted: 0,
    heldOut: 0,
    alreadyActed: 0,
    coolingDown: 0,
    capped: 0,
    overLimit: 0,
  };
  const eligible: CandidateRow[] = [];
  for (const row of rows) {
    if (row.already) counts.alreadyActed += 1;
    else if (row.cooling) counts.coolingDown += 1;
    else if (row.recent_contacts >= config.capCount) counts.capped += 1;
    else eligible.push(row);
  }
  // When more qualify than one run may act on, the most valuable go first.
  eligible.sort(
    (a, b) => Number(b.clv ?? 0) - Number(a.clv ?? 0) || a.customer_id.localeCompare(b.customer_id),
  );
  const chosen = eligible.slice(0, config.maxPerRun);
  counts.overLimit = eligible.length - chosen.length;
  const secret = getEnv().SHOPIFY_API_SECRET;
  const discount = config.actions.discount;
  const targets = chosen.map((row): PlannedTarget => {
    const customerId = BigInt(row.customer_id);
    const holdout = isHeldOut(rule.id, customerId, config.holdoutPercent);
    if (holdout) counts.heldOut += 1;
    else counts.targeted += 1;
    return {
      customerId,
      triggerKey: row.trigger_key,
      holdout,
      discountCode:
        discount && !holdout
          ? winbackDiscountCode(secret, discount.prefix, {
              ruleId: rule.id,
              customerId,
              triggerKey: row.trigger_key,
            })
          : null,
    };
  });
  return { counts, targets, actionKinds: actionKinds(config.actions) };
}

/** Serialises planning of one rule across processes; released with the transaction. */
const PLAN_LOCK = 0x57_42_50; // "WBP"

/**
 * Plans a run and writes it: run row, targets and pending actions, all or nothing. Returns
 * the run id and counts. Customers another planner took meanwhile are skipped by the unique
 * keys, never doubled.
 */
export async function planRuleRun(
  sql: SqlClient,
  rule: StoredRule,
  now: Date,
): Promise<{ runId: bigint; counts: PlanCounts }> {
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock($1, $2)`, [PLAN_LOCK, Number(rule.id)]);
    const plan = await evaluateRule(tx, rule, now);
    const nowIso = now.toISOString();
    const run = await tx.query<{ id: string }>(
      `INSERT INTO winback_run (shop_id, rule_id, status, started_at, counts)
       VALUES ($1, $2, 'executing', $3::timestamptz AT TIME ZONE 'UTC', $4::jsonb)
       RETURNING id::text`,
      [rule.shopId, rule.id.toString(), nowIso, JSON.stringify(plan.counts)],
    );
    const runId = run.rows[0]?.id;
    if (runId === undefined) throw new Error("winback_run insert returned nothing");
    await tx.query(
      `INSERT INTO winback_target
         (shop_id, rule_id, run_id, customer_id, trigger_key, holdout, discount_code, created_at)
       SELECT $1, $2, $3, t.customer_id, t.trigger_key, t.holdout, t.discount_code,
              $4::timestamptz AT TIME ZONE 'UTC'
       FROM unnest($5::bigint[], $6::text[], $7::boolean[], $8::text[])
            AS t(customer_id, trigger_key, holdout, discount_code)
       ON CONFLICT DO NOTHING`,
      [
        rule.shopId,
        rule.id.toString(),
        runId,
        nowIso,
        plan.targets.map((target) => target.customerId.toString()),
        plan.targets.map((target) => target.triggerKey),
        plan.targets.map((target) => target.holdout),
        plan.targets.map((target) => target.discountCode),
      ],
    );
    await tx.query(
      `INSERT INTO winback_action
         (shop_id, rule_id, run_id, target_id, customer_id, kind, position, updated_at)
       SELECT t.shop_id, t.rule_id, t.run_id, t.id, t.customer_id, k.kind, k.position,
              $2::timestamptz AT TIME ZONE 'UTC'
       FROM winback_target t CROSS JOIN unnest($3::text[]) WITH ORDINALITY AS k(kind, position)
       WHERE t.shop_id = $4 AND t.run_id = $1 AND NOT t.holdout`,
      [runId, nowIso, plan.actionKinds, rule.shopId],
    );
    await tx.query(
      `UPDATE winback_rule SET last_run_at = $2::timestamptz AT TIME ZONE 'UTC'
       WHERE shop_id = $3 AND id = $1`,
      [rule.id.toString(), nowIso, rule.shopId],
    );
    logger.info(
      { shopId: rule.shopId, ruleId: rule.id, runId, ...plan.counts },
      "win-back run planned",
    );
    return { runId: BigInt(runId), counts: plan.counts };
  });
}

export interface DryRunRow {
  customerId: string;
  name: string | null;
  lifecycleStage: string | null;
  group: "action" | "holdout";
  discountCode: string | null;
  /** Whether an email action would send to this customer (consent and an address). */
  emailable: boolean;
}

/** What a run now would do, without doing it: the counts and the first `limit` customers. */
export async function dryRunRule(
  sql: SqlQueryable,
  rule: StoredRule,
  now: Date,
  limit = 50,
): Promise<{ counts: PlanCounts; actionKinds: ActionKind[]; sample: DryRunRow[] }> {
  const plan = await evaluateRule(sql, rule, now);
  const sample = plan.targets.slice(0, limit);
  const { rows } = await sql.query<{
    id: string;
    first_name: string | null;
    last_name: string | null;
    stage: string | null;
    emailable: boolean;
  }>(
    `SELECT c.id::text, c.first_name, c.last_name, m.lifecycle_stage AS stage,
            (c.email IS NOT NULL AND c.email_marketing = 'subscribed') AS emailable
     FROM customer c
     LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
     WHERE c.shop_id = $1 AND c.id = ANY($2::bigint[])`,
    [rule.shopId, sample.map((target) => target.customerId.toString())],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    counts: plan.counts,
    actionKinds: plan.actionKinds,
    sample: sample.map((target) => {
      const customer = byId.get(target.customerId.toString());
      return {
        customerId: target.customerId.toString(),
        name: customer ? displayName(customer.first_name, customer.last_name) : null,
        lifecycleStage: customer?.stage ?? null,
        group: target.holdout ? "holdout" : "action",
        discountCode: target.discountCode,
        emailable: customer?.emailable ?? false,
      };
    }),
  };
}
