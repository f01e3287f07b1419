/**
 * The home page's setup guide: the steps from install to a first win-back, each read from the
 * shop's real state (nothing is ticked by hand), and whether the merchant closed the guide.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { emailSenderState } from "~/services/email/email-settings.server";
import type { AppEmbedState } from "~/services/onboarding/app-embed-state.server";
import { getImportProgress, type ImportProgress } from "~/services/sync/sync-status.server";

/** The steps, in the order the merchant should take them. */
export const SETUP_STEPS = [
  "import",
  "storefront",
  "segment",
  "winbackRule",
  "emailSender",
] as const;
export type SetupStepKey = (typeof SETUP_STEPS)[number];

export interface SetupGuide {
  dismissed: boolean;
  steps: Array<{ key: SetupStepKey; done: boolean }>;
  doneCount: number;
  import: ImportProgress;
  appEmbed: AppEmbedState;
  segments: number;
  /** Rules switched on, and rules still drafts or paused. */
  rules: { active: number; inactive: number };
  emailSender: "missing" | "unverified" | "verified";
}

/**
 * The guide from the database, and the storefront step from the shop's theme through
 * `readAppEmbed` (an Admin API call, skipped once the merchant has closed the guide).
 */
export async function getSetupGuide(
  sql: SqlQueryable,
  shopId: number,
  readAppEmbed: () => Promise<AppEmbedState>,
): Promise<SetupGuide> {
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
  const appEmbed = row.dismissed ? "unknown" : await readAppEmbed();
  const steps: SetupGuide["steps"] = [
    { key: "import", done: progress.state === "done" },
    { key: "storefront", done: appEmbed === "on" },
    { key: "segment", done: row.segments > 0 },
    { key: "winbackRule", done: row.active > 0 },
    { key: "emailSender", done: emailSender === "verified" },
  ];
  return {
    dismissed: row.dismissed,
    steps,
    doneCount: steps.filter((step) => step.done).length,
    import: progress,
    appEmbed,
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
