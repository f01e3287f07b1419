/**
 * A rule's win-back emails at a glance, for its page: how many went out, are waiting or being
 * retried, failed, or may have gone out (uncertain), and the reasons for the failures, which the
 * executor stores as message keys (a failure without one reads as the generic sentence).
 */
import type { Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface EmailDeliverySummary {
  sent: number;
  /** Not tried yet (or being sent right now). */
  waiting: number;
  retrying: number;
  failed: number;
  /** The app lost track mid-send; it may have gone out and is never repeated. */
  uncertain: number;
  /** Why emails failed, most frequent first. */
  reasons: Array<{ reason: Message | null; count: number }>;
}

/** At most this many distinct failure reasons are listed. */
const REASONS_SHOWN = 5;

export async function emailDeliverySummary(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
): Promise<EmailDeliverySummary> {
  const { rows } = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM winback_action
     WHERE shop_id = $1 AND rule_id = $2 AND kind = 'email' GROUP BY status`,
    [shopId, ruleId.toString()],
  );
  const count = (...statuses: string[]) =>
    rows.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + row.n, 0);
  const reasons = await sql.query<{ reason: Message | null; count: number }>(
    `SELECT error AS reason, count(*)::int AS count
     FROM winback_action
     WHERE shop_id = $1 AND rule_id = $2 AND kind = 'email' AND status = 'failed'
     GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $3`,
    [shopId, ruleId.toString(), REASONS_SHOWN],
  );
  return {
    sent: count("done"),
    waiting: count("pending", "sending"),
    retrying: count("retrying"),
    failed: count("failed"),
    uncertain: count("uncertain"),
    reasons: reasons.rows,
  };
}
