/**
 * A rule whose run keeps failing (its data, Shopify, a bug) must not be retried on every pass
 * of the scheduler (every 2 seconds) forever. Each failure in a row doubles the wait before the
 * next attempt, from a minute up to six hours, and leaves a reason on the rule for the
 * merchant; a run that succeeds clears both.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { AppError } from "~/lib/errors";

const FIRST_RETRY_SECONDS = 60;
const LONGEST_RETRY_SECONDS = 6 * 3600;

/** What the merchant reads on the rule: our own errors are written for them, others are not. */
export function ruleFailureReason(error: unknown): string {
  if (error instanceof AppError) return `The last run failed: ${error.message}`;
  return "The last run failed because of an unexpected error.";
}

export async function recordRuleFailure(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
  error: unknown,
  now: Date,
): Promise<void> {
  await sql.query(
    `UPDATE winback_rule
     SET failed_runs = failed_runs + 1, last_error = $2,
         retry_at = ($3::timestamptz AT TIME ZONE 'UTC')
                    + make_interval(secs => least($4 * power(2, failed_runs), $5))
     WHERE shop_id = $6 AND id = $1`,
    [
      ruleId.toString(),
      ruleFailureReason(error),
      now.toISOString(),
      FIRST_RETRY_SECONDS,
      LONGEST_RETRY_SECONDS,
      shopId,
    ],
  );
}

export async function clearRuleFailures(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
): Promise<void> {
  await sql.query(
    `UPDATE winback_rule SET failed_runs = 0, last_error = NULL, retry_at = NULL
     WHERE shop_id = $2 AND id = $1 AND (failed_runs > 0 OR retry_at IS NOT NULL)`,
    [ruleId.toString(), shopId],
  );
}
