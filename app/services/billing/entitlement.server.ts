/**
 * The server-side plan gates: what the shop's plan lets it use right now. A paid feature runs
 * only when the plan includes it and the shop's orders over the last 30 days are within the
 * plan's volume; callers ask here before the feature runs (win-back emails, personalized
 * recommendations), never trusting the admin's buttons to have hidden it, and the admin pages
 * show the refusal's message with a link to Plans.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { PlanLimitError } from "~/lib/errors";
import { cheapestPlanFor, FEATURE_NAMES, type Plan, type PlanFeature } from "./plans";
import { currentPlan, type ActiveSubscription } from "./subscription-store.server";

/** Orders are counted over Shopify's billing period. */
const ORDER_VOLUME_DAYS = 30;

export interface Entitlement {
  plan: Plan;
  subscription: ActiveSubscription | null;
  /** Orders placed in the last 30 days (test orders and deleted ones left out). */
  ordersThisMonth: number;
  overOrderVolume: boolean;
}

async function ordersInLast30Days(sql: SqlQueryable, shopId: number, now: Date): Promise<number> {
  const since = new Date(now.getTime() - ORDER_VOLUME_DAYS * 86_400_000);
  const { rows } = await sql.query<{ orders: number }>(
    `SELECT count(*)::int AS orders FROM "order"
     WHERE shop_id = $1 AND processed_at >= $2::timestamptz AT TIME ZONE 'UTC'
       AND deleted_at IS NULL AND NOT test`,
    [shopId, since.toISOString()],
  );
  return rows[0]?.orders ?? 0;
}

export async function shopEntitlement(
  sql: SqlQueryable,
  shopId: number,
  now: Date,
): Promise<Entitlement> {
  const [{ plan, subscription }, ordersThisMonth] = await Promise.all([
    currentPlan(sql, shopId),
    ordersInLast30Days(sql, shopId, now),
  ]);
  return {
    plan,
    subscription,
    ordersThisMonth,
    overOrderVolume: plan.ordersPerMonth !== null && ordersThisMonth > plan.ordersPerMonth,
  };
}

/** Whether a feature may run now: included in the plan, and the month's orders within it. */
export function allows(entitlement: Entitlement, feature: PlanFeature): boolean {
  return entitlement.plan.features[feature] && !entitlement.overOrderVolume;
}

/**
 * Why a feature may not run now, as a PlanLimitError saying so in the merchant's words and
 * naming the plan that would allow it; null when it may.
 */
export function featureRefusal(
  entitlement: Entitlement,
  feature: PlanFeature,
): PlanLimitError | null {
  if (allows(entitlement, feature)) return null;
  const { plan, ordersThisMonth } = entitlement;
  const upgrade = cheapestPlanFor(feature, ordersThisMonth);
  const count = (value: number) => value.toLocaleString("en-US");
  const overVolume = plan.features[feature];
  // Plans by key: the page names them in the merchant's language.
  const values = {
    plan: plan.key,
    upgrade: upgrade.key,
    orders: ordersThisMonth,
    covered: plan.ordersPerMonth ?? 0,
  };
  return new PlanLimitError(
    overVolume
      ? `Your store took ${count(ordersThisMonth)} orders in the last 30 days, more than the ${plan.name} plan covers (${count(plan.ordersPerMonth ?? 0)}). ${FEATURE_NAMES[feature]} are paused until you move to ${upgrade.name}.`
      : `${FEATURE_NAMES[feature]} aren't included in the ${plan.name} plan. Upgrade to ${upgrade.name} to use them.`,
    // The page formats the counts in the merchant's language.
    { key: `planLimit.${overVolume ? "overVolume" : "notIncluded"}.${feature}`, values },
  );
}
