import type { Session } from "@shopify/shopify-api";
import { getDatabase } from "~/db.server";
import { SHOP_INFO_QUERY } from "~/graphql/shop";
import { logger } from "~/lib/logger.server";
import { markShopInstalled } from "~/models/shop.server";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { requestBackfill } from "~/services/sync/backfill.server";

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
 * After every successful authentication: record the install, refresh the shop's settings,
 * and queue the history backfill the first time the shop installs.
 */
export async function onShopAuthenticated(
  session: Session,
  transport: AdminGraphqlTransport,
): Promise<void> {
  await markShopInstalled(session.shop, session.scope ?? "");
  const { prisma, sql } = getDatabase();
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
  } catch (error) {
    // Not fatal: the settings are refreshed on the next authentication.
    logger.warn(
      {
        shop: session.shop,
        err: error instanceof Response ? `HTTP ${error.status}` : String(error),
      },
      "could not read shop settings",
    );
  }
  const installed = await prisma.shop.findUniqueOrThrow({
    where: { domain: session.shop },
    select: { id: true },
  });
  const backfills = await prisma.syncJob.count({
    where: { shopId: installed.id, kind: "backfill" },
  });
  if (backfills === 0) await requestBackfill(sql, installed.id);
}
