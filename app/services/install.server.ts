import type { Session } from "@shopify/shopify-api";
import { getDatabase } from "~/db.server";
import { SHOP_INFO_QUERY } from "~/graphql/shop";
import { getEnv } from "~/lib/env.server";
import { ShopNotInstalledError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { findInstalledShop, markShopInstalled, type InstalledShop } from "~/models/shop.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import {
  activateWebPixel,
  mayActivatePixel,
  pixelSettingsFor,
} from "~/services/behaviour/pixel-activation.server";
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
 * its plan (the subscriptions Shopify lists as active), turn the web pixel on, and queue the
 * history backfill the first time the shop installs. Neither the refresh nor the pixel can
 * fail the install: each is tried again at the next authentication.
 */
export async function onShopAuthenticated(
  session: Session,
  transport: AdminGraphqlTransport,
): Promise<void> {
  await recordInstall(session);
  await Promise.all([refreshShopSettings(session, transport), turnOnWebPixel(session, transport)]);
}

async function refreshShopSettings(session: Session, transport: AdminGraphqlTransport) {
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
    logger.warn({ shop: session.shop, err: describeError(error) }, "could not read shop settings");
  }
}

/** Creates (or updates) the shop's web pixel, pointing at this app's ingest endpoint. */
async function turnOnWebPixel(session: Session, transport: AdminGraphqlTransport) {
  if (!mayActivatePixel(session.scope ?? "")) {
    logger.info({ shop: session.shop }, "web pixel left off: its scopes were not granted");
    return;
  }
  const env = getEnv();
  try {
    const activation = await activateWebPixel(
      transport,
      pixelSettingsFor(session.shop, env.SHOPIFY_APP_URL, env.SHOPIFY_API_SECRET),
    );
    logger.info({ shop: session.shop, ...activation }, "web pixel active");
  } catch (error) {
    logger.warn(
      { shop: session.shop, err: describeError(error) },
      "could not turn the web pixel on",
    );
  }
}

const describeError = (error: unknown) =>
  error instanceof Response ? `HTTP ${error.status}` : String(error);

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
