/**
 * The shop's Shopify subscriptions as the app last heard of them. Reports come from three places
 * (the app_subscriptions/update webhook, the answer to a cancel, and the reconciliation with
 * currentAppInstallation.activeSubscriptions), in any order and any number of times: a report
 * replaces the stored row only when it is at least as recent (updated_at), so a late or repeated
 * delivery never undoes a newer state.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { FREE_PLAN, planBySubscriptionName, type Plan } from "./plans";

/** Shopify's AppSubscriptionStatus; INACTIVE: no longer among Shopify's active subscriptions. */
export type SubscriptionStatus =
  "PENDING" | "ACTIVE" | "DECLINED" | "EXPIRED" | "FROZEN" | "CANCELLED" | "INACTIVE";

export interface SubscriptionReport {
  /** The AppSubscription gid. */
  id: string;
  name: string;
  status: SubscriptionStatus;
  /** Null when the report does not say (the webhook's body has no test flag or trial). */
  test: boolean | null;
  trialDays: number | null;
  currentPeriodEnd: Date | null;
  /** When Shopify changed it (webhook) or when the app saw it (reconciliation). */
  updatedAt: Date;
}

/** Stores a report unless a more recent one is stored; true when it was stored. */
export async function recordSubscription(
  sql: SqlQueryable,
  shopId: number,
  report: SubscriptionReport,
): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO app_subscription AS s
       (id, shop_id, name, status, test, trial_days, current_period_end, updated_at)
     VALUES ($1, $2, $3, $4, COALESCE($5::boolean, false), COALESCE($6::int, 0),
             $7::timestamptz AT TIME ZONE 'UTC', $8::timestamptz AT TIME ZONE 'UTC')
     ON CONFLICT (shop_id, id) DO UPDATE SET
       status = EXCLUDED.status, name = EXCLUDED.name,
       test = COALESCE($5::boolean, s.test), trial_days = COALESCE($6::int, s.trial_days),
       current_period_end = COALESCE(EXCLUDED.current_period_end, s.current_period_end),
       updated_at = EXCLUDED.updated_at, recorded_at = now()
     WHERE s.updated_at <= EXCLUDED.updated_at
     RETURNING 1`,
    [
      report.id,
      shopId,
      report.name,
      report.status,
      report.test,
      report.trialDays,
      report.currentPeriodEnd?.toISOString() ?? null,
      report.updatedAt.toISOString(),
    ],
  );
  return rows.length > 0;
}

export interface ActiveSubscription {
  id: string;
  plan: Plan;
  test: boolean;
  trialDays: number;
  currentPeriodEnd: Date | null;
}

/** The shop's stored active subscriptions to a known paid plan, most recently changed first. */
export async function activeSubscriptions(
  sql: SqlQueryable,
  shopId: number,
): Promise<ActiveSubscription[]> {
  const { rows } = await sql.query<{
    id: string;
    name: string;
    test: boolean;
    trial_days: number;
    current_period_end: Date | null;
  }>(
    `SELECT id, name, test, trial_days,
            current_period_end AT TIME ZONE 'UTC' AS current_period_end
     FROM app_subscription
     WHERE shop_id = $1 AND status = 'ACTIVE' ORDER BY updated_at DESC, id DESC`,
    [shopId],
  );
  return rows.flatMap((row) => {
    const plan = planBySubscriptionName(row.name);
    return plan
      ? [
          {
            id: row.id,
            plan,
            test: row.test,
            trialDays: row.trial_days,
            currentPeriodEnd: row.current_period_end,
          },
        ]
      : [];
  });
}

/** The plan the shop is on: its active subscription's, or Free without one. */
export async function currentPlan(
  sql: SqlQueryable,
  shopId: number,
): Promise<{ plan: Plan; subscription: ActiveSubscription | null }> {
  const [subscription] = await activeSubscriptions(sql, shopId);
  return { plan: subscription?.plan ?? FREE_PLAN, subscription: subscription ?? null };
}
