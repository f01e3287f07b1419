/**
 * A rule whose run keeps failing (its data, Shopify, a bug) must not be retried on every pass
 * of the scheduler (every 2 seconds) forever. Each failure in a row doubles the wait before the
 * next attempt, from a minute up to six hours, and leaves a reason on the rule for the
 * merchant; a run that succeeds clears both.
 */
import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { AppError, PlanLimitError, ShopifyUserError } from "~/lib/errors";
import { EmailNotConfiguredError } from "~/services/email/email-errors";
import { AdminGraphqlError } from "~/services/shopify/admin-graphql.server";

const FIRST_RETRY_SECONDS = 60;
const LONGEST_RETRY_SECONDS = 6 * 3600;

/**
 * What the merchant reads on the rule, as a ruleFailures.* key (or the plan limit's own) that
 * the admin words in their language: what went wrong and what they can do about it. The error
 * itself goes to the logs for support.
 */
export function ruleFailureReason(error: unknown): Message {
  if (error instanceof PlanLimitError) return error.reason;
  if (error instanceof EmailNotConfiguredError) {
    return message(
      error.reason === "missing" ? "ruleFailures.emailMissing" : "ruleFailures.emailUnreadable",
    );
  }
  if (error instanceof ShopifyUserError) return message("ruleFailures.shopifyRefused");
  if (error instanceof AdminGraphqlError) return message("ruleFailures.shopifyUnavailable");
  if (error instanceof AppError) return message("ruleFailures.failed");
  return message("ruleFailures.unexpected");
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
     SET failed_runs = failed_runs + 1, last_error = $2::jsonb,
         retry_at = ($3::timestamptz AT TIME ZONE 'UTC')
                    + make_interval(secs => least($4 * power(2, failed_runs), $5))
     WHERE shop_id = $6 AND id = $1`,
    [
      ruleId.toString(),
      JSON.stringify(ruleFailureReason(error)),
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
