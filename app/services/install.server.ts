import type { Session } from "@shopify/shopify-api";
import { getDatabase } from "~/db.server";
import { SHOP_INFO_QUERY } from "~/graphql/shop";
import { ShopNotInstalledError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { findInstalledShop, markShopInstalled, type InstalledShop } from "~/models/shop.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { requestBackfill } from "~/services/sync/backfill.server";
import { reconcileSubscriptions } from "~/services/billing/subscription-reports.server";

interface ShopInfo {
  shop: {
    name: string;
    email: string | null;
    currencyCode: string;
    ianaTimezone: string;
    plan: { publicDisplayName: string } | null;
  };
}

/**
 * After every successful authentication: record the install, refresh the shop's settings and
 * its plan (the subscriptions Shopify lists as active), and queue the history backfill the
 * first time the shop installs.
 */
export async function onShopAuthenticated(
  session: Session,
  transport: AdminGraphqlTransport,
): Promise<void> {
  await recordInstall(session);
  const { prisma } = getDatabase();
  try {
    const { shop } = await adminGraphqlRequest<ShopInfo>(transport, SHOP_INFO_QUERY);
    await prisma.shop.update({
      where: { domain: session.shop },
      data: {
        name: shop.name,
        email: shop.email,
        currency: shop.currencyCode,
        ianaTimezone: shop.ianaTimezone,
        plan: shop.plan?.publicDisplayName ?? null,
      },
    });
    // A plan chosen before this install (or a webhook missed while uninstalled) is known at once.
    const installed = await findInstalledShop(session.shop);
    if (installed) {
      await reconcileSubscriptions(getDatabase().sql, installed.id, transport, new Date());
    }
  } catch (error) {
    // Not fatal: the settings and the plan are refreshed on the next authentication.
    logger.warn(
      {
        shop: session.shop,
        err: error instanceof Response ? `HTTP ${error.status}` : String(error),
      },
      "could not read shop settings",
    );
  }
}

/**
 * The install itself, idempotent and safe to run concurrently: one upsert on the shop's unique
 * domain, and the first backfill queued under the shop row's lock (`requestBackfill`).
 */
async function recordInstall(session: Pick<Session, "shop" | "scope">): Promise<void> {
  await markShopInstalled(session.shop, session.scope ?? "");
  const { prisma, sql } = getDatabase();
  const installed = await prisma.shop.findUniqueOrThrow({
    where: { domain: session.shop },
    select: { id: true },
  });
  const backfills = await prisma.syncJob.count({
    where: { shopId: installed.id, kind: "backfill" },
  });
  if (backfills === 0) await requestBackfill(sql, installed.id);
}

/**
 * The installed shop an authenticated admin request is about. A stored session means Shopify
 * has the app installed, so an install not yet recorded (the other loaders of the first page
 * load skip `afterAuth` while it runs, or a crash came between storing the token and
 * recording the install) is recorded here instead of failing the page. Without a stored
 * session (uninstalled) the shop is not installed.
 */
export async function requireInstalledShop(
  session: Pick<Session, "id" | "shop" | "scope">,
): Promise<InstalledShop> {
  const shop = await findInstalledShop(session.shop);
  if (shop) return shop;
  const stored = await getDatabase().prisma.session.findUnique({
    where: { id: session.id },
    select: { id: true },
  });
  if (!stored) throw new ShopNotInstalledError(session.shop);
  await recordInstall(session);
  const installed = await findInstalledShop(session.shop);
  if (!installed) throw new ShopNotInstalledError(session.shop);
  return installed;
}
