/**
 * The home page's setup guide: the steps from install to a first win-back, each read from the
 * shop's real state (nothing is ticked by hand), and whether the merchant closed the guide.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { emailSenderState } from "~/services/email/email-settings.server";
import { getImportProgress } from "~/services/sync/sync-status.server";
import type { SetupFacts } from "./setup-steps";

/**
 * The guide's facts from the database. The storefront step's comes from the shop's theme, an
 * Admin API call (readAppEmbedState) that the page receives streamed (setup-steps.ts).
 */
export async function getSetupFacts(sql: SqlQueryable, shopId: number): Promise<SetupFacts> {
  const [progress, emailSender, counts] = await Promise.all([
    getImportProgress(sql, shopId),
    emailSenderState(sql, shopId),
    sql.query<{ dismissed: boolean; segments: number; active: number; inactive: number }>(
      `SELECT s.setup_guide_dismissed_at IS NOT NULL AS dismissed,
              (SELECT count(*)::int FROM segment g WHERE g.shop_id = s.id) AS segments,
              (SELECT count(*)::int FROM winback_rule r
                WHERE r.shop_id = s.id AND r.status = 'active') AS active,
              (SELECT count(*)::int FROM winback_rule r
                WHERE r.shop_id = s.id AND r.status <> 'active') AS inactive
       FROM shop s WHERE s.id = $1`,
      [shopId],
    ),
  ]);
  const row = counts.rows[0] ?? { dismissed: false, segments: 0, active: 0, inactive: 0 };
  return {
    dismissed: row.dismissed,
    import: progress,
    segments: row.segments,
    rules: { active: row.active, inactive: row.inactive },
    emailSender,
  };
}

/** Closes the guide for the shop (every staff member sees it closed), or opens it again. */
export async function setSetupGuideDismissed(
  sql: SqlQueryable,
  shopId: number,
  dismissed: boolean,
): Promise<void> {
  await sql.query(
    `UPDATE shop SET setup_guide_dismissed_at = CASE WHEN $2::boolean THEN now() END,
                     updated_at = now()
     WHERE id = $1`,
    [shopId, dismissed],
  );
}
