/**
 * The background side of win-back: finishes runs that are still executing (after a restart, a
 * Shopify outage or quiet hours), then starts runs for active rules that are due, outside the
 * shop's quiet hours. A job in app/jobs/registry.ts. A rule whose run fails waits longer
 * after each failure in a row (rule-failures.server.ts) instead of failing on every pass.
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { executeRun, type RunEffects } from "./execute-run.server";
import { planRuleRun } from "./plan-run.server";
import { inQuietHours } from "~/services/send-timing/quiet-hours";
import { clearRuleFailures, recordRuleFailure } from "./rule-failures.server";
import { getRule } from "./rule-store.server";

export interface WinbackScheduleOptions {
  now?: () => Date;
  isRunning?: () => boolean;
  effectsFor: (shopDomain: string) => Promise<RunEffects>;
}

/** Time one pass gives one run before moving on. */
const RUN_BUDGET_MS = 30_000;

interface DueRow {
  rule_id: string;
  shop_id: number;
  domain: string;
  time_zone: string;
  quiet: { start: number; end: number };
}

/** Resumes unfinished runs and starts due ones; returns how many runs it touched. */
export async function runDueWinbackRules(
  sql: SqlClient,
  options: WinbackScheduleOptions,
): Promise<number> {
  const now = options.now ?? (() => new Date());
  const isRunning = options.isRunning ?? (() => true);
  const nowIso = now().toISOString();
  const quietNow = (row: Pick<DueRow, "time_zone" | "quiet">) =>
    inQuietHours(now(), row.time_zone, row.quiet);
  let touched = 0;

  const open = await sql.query<DueRow & { run_id: string }>(
    `SELECT x.id::text AS run_id, x.rule_id::text, x.shop_id, s.domain, s.iana_timezone AS time_zone,
            r.config -> 'quietHours' AS quiet
     FROM winback_run x JOIN winback_rule r ON r.shop_id = x.shop_id AND r.id = x.rule_id
       JOIN shop s ON s.id = x.shop_id
     WHERE x.status = 'executing' AND s.state = 'installed' AND r.status = 'active'
       AND (r.retry_at IS NULL OR r.retry_at <= ($1::timestamptz AT TIME ZONE 'UTC'))
     ORDER BY x.id`,
    [nowIso],
  );
  for (const row of open.rows) {
    if (!isRunning()) return touched;
    if (quietNow(row)) continue;
    await executeSafely(sql, row, BigInt(row.run_id), options, isRunning);
    touched += 1;
  }

  const due = await sql.query<DueRow>(
    `SELECT r.id::text AS rule_id, r.shop_id, s.domain, s.iana_timezone AS time_zone,
            r.config -> 'quietHours' AS quiet
     FROM winback_rule r JOIN shop s ON s.id = r.shop_id
     WHERE r.status = 'active' AND s.state = 'installed'
       AND (r.last_run_at IS NULL OR r.last_run_at <= ($1::timestamptz AT TIME ZONE 'UTC')
            - make_interval(hours => (r.config ->> 'everyHours')::int))
       AND (r.retry_at IS NULL OR r.retry_at <= ($1::timestamptz AT TIME ZONE 'UTC'))
       AND NOT EXISTS (SELECT 1 FROM winback_run x
                       WHERE x.shop_id = r.shop_id AND x.rule_id = r.id AND x.status = 'executing')
     ORDER BY r.last_run_at NULLS FIRST, r.id`,
    [nowIso],
  );
  for (const row of due.rows) {
    if (!isRunning()) return touched;
    if (quietNow(row)) continue;
    const rule = await getRule(sql, row.shop_id, BigInt(row.rule_id));
    if (!rule) continue;
    try {
      const { runId } = await planRuleRun(sql, rule, now());
      await executeSafely(sql, row, runId, options, isRunning);
      touched += 1;
    } catch (error) {
      logger.error(
        { ruleId: row.rule_id, shop: row.domain, err: error },
        "win-back run failed to plan; backing off",
      );
      await recordRuleFailure(sql, rule.shopId, rule.id, error, now());
    }
  }
  return touched;
}

async function executeSafely(
  sql: SqlClient,
  row: DueRow,
  runId: bigint,
  options: WinbackScheduleOptions,
  isRunning: () => boolean,
) {
  const now = options.now ?? (() => new Date());
  // A big run goes at Shopify's pace (minutes); it yields after a while so the runner's other
  // work (metrics, sync) is not held up, and resumes on the next pass.
  const budgetEnds = Date.now() + RUN_BUDGET_MS;
  try {
    await executeRun(sql, row.shop_id, runId, await options.effectsFor(row.domain), {
      now,
      shouldContinue: () =>
        isRunning() && Date.now() < budgetEnds && !inQuietHours(now(), row.time_zone, row.quiet),
    });
    await clearRuleFailures(sql, row.shop_id, BigInt(row.rule_id));
  } catch (error) {
    logger.warn(
      { runId, shop: row.domain, err: error },
      "win-back run will resume after a back-off",
    );
    await recordRuleFailure(sql, row.shop_id, BigInt(row.rule_id), error, now());
  }
}
