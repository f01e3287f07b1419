/**
 * Where the stored subscriptions come from: the app_subscriptions/update webhook (applied when
 * it is received, so a plan change takes effect at once), what a cancel returns, and the
 * reconciliation with Shopify's own list of the installation's active subscriptions.
 */
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { ACTIVE_SUBSCRIPTIONS_QUERY } from "~/graphql/billing";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import {
  recordSubscription,
  type SubscriptionReport,
  type SubscriptionStatus,
} from "./subscription-store.server";

const STATUSES = ["PENDING", "ACTIVE", "DECLINED", "EXPIRED", "FROZEN", "CANCELLED"] as const;

const status = z
  .string()
  .transform((value) => value.toUpperCase())
  .pipe(z.enum(STATUSES));

/** The webhook's body: `{ app_subscription: { admin_graphql_api_id, name, status, updated_at, … } }`. */
const webhookBody = z.object({
  app_subscription: z.object({
    admin_graphql_api_id: z.string().startsWith("gid://shopify/AppSubscription/"),
    name: z.string(),
    status,
    updated_at: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
  }),
});

/** The webhook's body as a report; null when it is not one (logged, nothing stored). */
export function reportFromWebhook(payload: unknown): SubscriptionReport | null {
  const parsed = webhookBody.safeParse(payload);
  if (!parsed.success) return null;
  const subscription = parsed.data.app_subscription;
  return {
    id: subscription.admin_graphql_api_id,
    name: subscription.name,
    status: subscription.status,
    test: null,
    trialDays: null,
    currentPeriodEnd: null,
    updatedAt: new Date(subscription.updated_at),
  };
}

/** Applies one app_subscriptions/update delivery; a repeat or an older one changes nothing. */
export async function applySubscriptionWebhook(shopDomain: string, payload: unknown) {
  const report = reportFromWebhook(payload);
  const { prisma, sql } = getDatabase();
  const shop = await prisma.shop.findUnique({
    where: { domain: shopDomain },
    select: { id: true },
  });
  if (!report || !shop) {
    logger.warn({ shop: shopDomain, readable: report !== null }, "subscription update not applied");
    return;
  }
  const stored = await recordSubscription(sql, shop.id, report);
  logger.info({ shop: shopDomain, status: report.status, stored }, "app subscription updated");
}

interface ActiveSubscriptionsAnswer {
  currentAppInstallation: {
    activeSubscriptions: Array<{
      id: string;
      name: string;
      status: string;
      test: boolean;
      trialDays: number;
      currentPeriodEnd: string | null;
    }>;
  };
}

/**
 * Makes the stored state agree with Shopify's list of active subscriptions, as of `now`: each
 * listed one is stored as active, and a stored active one Shopify no longer lists is marked
 * INACTIVE (its webhook was missed). A webhook newer than `now` still wins.
 */
export async function reconcileSubscriptions(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  now: Date,
): Promise<void> {
  const answer = await adminGraphqlRequest<ActiveSubscriptionsAnswer>(
    transport,
    ACTIVE_SUBSCRIPTIONS_QUERY,
  );
  const active = answer.currentAppInstallation.activeSubscriptions;
  for (const subscription of active) {
    await recordSubscription(sql, shopId, {
      id: subscription.id,
      name: subscription.name,
      status: subscription.status.toUpperCase() as SubscriptionStatus,
      test: subscription.test,
      trialDays: subscription.trialDays,
      currentPeriodEnd: subscription.currentPeriodEnd
        ? new Date(subscription.currentPeriodEnd)
        : null,
      updatedAt: now,
    });
  }
  await sql.query(
    `UPDATE app_subscription SET status = 'INACTIVE', updated_at = $3::timestamptz AT TIME ZONE 'UTC',
       recorded_at = now()
     WHERE shop_id = $1 AND status = 'ACTIVE' AND id <> ALL($2::text[])
       AND updated_at <= $3::timestamptz AT TIME ZONE 'UTC'`,
    [shopId, active.map((subscription) => subscription.id), now.toISOString()],
  );
}
