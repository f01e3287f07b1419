import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { appSessionStorage } from "~/services/shopify/session-storage.server";
import { markShopUninstalled } from "~/models/shop.server";
import { applySubscriptionWebhook } from "~/services/billing/subscription-reports.server";

/**
 * Effects that must not wait for a worker: after an uninstall the shop's sessions are dead
 * (Shopify revoked the token) and must not be used again; a scope change must be visible to
 * the next request; a plan change (app_subscriptions/update) opens or closes paid features at
 * once. All are idempotent, so a redelivered webhook is harmless.
 */
export async function applyAppLifecycleWebhook(
  topic: string,
  shop: string,
  payload: unknown,
): Promise<void> {
  if (topic === "app/uninstalled") {
    await markShopUninstalled(shop);
    const { count } = await getDatabase().prisma.session.deleteMany({ where: { shop } });
    appSessionStorage().forgetShop(shop);
    logger.info({ shop, sessionsRemoved: count }, "app uninstalled");
    return;
  }
  if (topic === "app_subscriptions/update") {
    await applySubscriptionWebhook(shop, payload);
    return;
  }
  if (topic === "app/scopes_update") {
    const current = (payload as { current?: unknown }).current;
    if (!Array.isArray(current)) return;
    const scope = current.filter((item): item is string => typeof item === "string").join(",");
    await getDatabase().prisma.session.updateMany({ where: { shop }, data: { scope } });
    appSessionStorage().forgetShop(shop);
    await getDatabase().prisma.shop.updateMany({
      where: { domain: shop },
      data: { scopes: scope },
    });
  }
}
