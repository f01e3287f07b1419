/**
 * A shop's name, storefront address and street address for its emails, from the Admin API,
 * cached in shop_email_brand (refreshed at most once a day by the editor and by sending runs)
 * and in process for a minute, so rendering an email never waits on Shopify.
 */
import { SHOP_EMAIL_BRAND_QUERY } from "~/graphql/email-brand";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { ResponseCache } from "~/lib/response-cache";
import {
  adminGraphqlRequest,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import type { ShopBrandInfo } from "./email-view";

const REFRESH_AFTER_MS = 24 * 3_600_000;
/** Exported so tests that reuse shop ids can forget them. */
export const shopBrands = new ResponseCache<ShopBrandInfo>(10_000, 60_000);

interface ShopEmailBrandAnswer {
  shop: {
    name: string;
    primaryDomain: { url: string };
    shopAddress: { formatted: string[] } | null;
  };
}

/** The cached facts, or the shop's domain standing in until they were fetched once. */
export async function loadShopBrand(sql: SqlQueryable, shopId: number): Promise<ShopBrandInfo> {
  const key = String(shopId);
  const hit = shopBrands.get(key);
  if (hit) return hit;
  const { rows } = await sql.query<{
    domain: string;
    name: string | null;
    shop_name: string | null;
    address: string | null;
    storefront_url: string | null;
  }>(
    `SELECT s.domain, s.name, b.shop_name, b.address, b.storefront_url
     FROM shop s LEFT JOIN shop_email_brand b ON b.shop_id = s.id
     WHERE s.id = $1`,
    [shopId],
  );
  const row = rows[0];
  const brand: ShopBrandInfo = {
    shopName: row?.shop_name ?? row?.name ?? row?.domain ?? "",
    address: row?.address ?? "",
    storefrontUrl: (row?.storefront_url ?? `https://${row?.domain ?? "shop.invalid"}`).replace(
      /\/+$/,
      "",
    ),
  };
  shopBrands.set(key, brand);
  return brand;
}

/**
 * Fetches the facts again when they are missing or a day old. A failure keeps the cached ones
 * (an email with yesterday's address is better than none) and is logged.
 */
export async function refreshShopBrand(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  now: Date,
): Promise<void> {
  const { rows } = await sql.query<{ fresh: boolean }>(
    `SELECT fetched_at > $2::timestamptz AT TIME ZONE 'UTC' AS fresh
     FROM shop_email_brand WHERE shop_id = $1`,
    [shopId, new Date(now.getTime() - REFRESH_AFTER_MS).toISOString()],
  );
  if (rows[0]?.fresh) return;
  try {
    const { shop } = await adminGraphqlRequest<ShopEmailBrandAnswer>(
      transport,
      SHOP_EMAIL_BRAND_QUERY,
    );
    await sql.query(
      `INSERT INTO shop_email_brand (shop_id, shop_name, address, storefront_url, fetched_at)
       VALUES ($1, $2, $3, $4, $5::timestamptz AT TIME ZONE 'UTC')
       ON CONFLICT (shop_id) DO UPDATE SET shop_name = excluded.shop_name,
         address = excluded.address, storefront_url = excluded.storefront_url,
         fetched_at = excluded.fetched_at`,
      [
        shopId,
        shop.name,
        (shop.shopAddress?.formatted ?? []).filter(Boolean).join(", "),
        shop.primaryDomain.url,
        now.toISOString(),
      ],
    );
    shopBrands.delete(String(shopId));
  } catch (error) {
    logger.warn({ shopId, err: error }, "shop details for emails could not be fetched");
  }
}
