/**
 * What the Plans page shows: the shop's plan (refreshed from Shopify's list of the app's active
 * subscriptions first, so a missed webhook does not leave it stale), its month's orders against
 * the plan's volume, and every plan to compare.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { shopEntitlement } from "./entitlement.server";
import { cheapestPlanFor, PLANS, type Plan, type PlanKey } from "./plans";
import { reconcileSubscriptions } from "./subscription-reports.server";
import { recordSubscription } from "./subscription-store.server";

export interface PlanOverview {
  current: PlanKey;
  /** The active subscription: its free trial's length, a test charge (no money taken). */
  subscription: { id: string; test: boolean; trialDays: number } | null;
  ordersThisMonth: number;
  ordersPerMonth: number | null;
  /** The plan that covers this month's orders, when the current one does not. */
  suggested: PlanKey | null;
  plans: readonly Plan[];
}

export async function planOverview(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  now: Date,
): Promise<PlanOverview> {
  try {
    await reconcileSubscriptions(sql, shopId, transport, now);
  } catch (error) {
    // Shopify out of reach: the page shows the plan as the webhooks last left it.
    logger.warn({ shopId, err: error }, "could not reconcile the shop's subscriptions");
  }
  const entitlement = await shopEntitlement(sql, shopId, now);
  const { subscription, plan, ordersThisMonth } = entitlement;
  return {
    current: plan.key,
    subscription: subscription
      ? {
          id: subscription.id,
          test: subscription.test,
          trialDays: subscription.trialDays,
        }
      : null,
    ordersThisMonth,
    ordersPerMonth: plan.ordersPerMonth,
    suggested: entitlement.overOrderVolume ? cheapestPlanFor(null, ordersThisMonth).key : null,
    plans: PLANS,
  };
}

/** Stores what a cancel returned, so the page shows Free before the webhook arrives. */
export async function recordCancelledSubscription(
  sql: SqlQueryable,
  shopId: number,
  cancelled: { id: string; name: string; status: string; test: boolean },
  now: Date,
): Promise<void> {
  await recordSubscription(sql, shopId, {
    id: cancelled.id,
    name: cancelled.name,
    status: "CANCELLED",
    test: cancelled.test,
    trialDays: null,
    currentPeriodEnd: null,
    updatedAt: now,
  });
}
