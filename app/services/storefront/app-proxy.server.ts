import { InvalidInputError, ShopNotInstalledError } from "~/lib/errors";
import { isBeyondStorableId, parseStorableId } from "~/lib/shopify-id";
import { findInstalledShop, type InstalledShop } from "~/models/shop.server";
import { ResponseCache } from "~/lib/response-cache";

/** Who a storefront request is for, once the route has checked Shopify's proxy signature. */
export interface StorefrontShopper {
  shop: InstalledShop;
  /**
   * The shopper, from Shopify's signed `logged_in_customer_id` only: a query parameter the
   * shopper could edit is never trusted for identity.
   */
  customerId: bigint | null;
}

/**
 * Installed shops by domain, briefly: every storefront request needs the shop and it changes
 * only on install and uninstall. An uninstall is noticed within the TTL; a shop that is not
 * installed is never remembered, so a fresh install answers at once.
 */
const installedShops = new ResponseCache<InstalledShop>(10_000, 10_000);

/** The signed `shop` of a proxied request, if it has the app installed. */
export async function storefrontShop(url: URL): Promise<InstalledShop> {
  const domain = url.searchParams.get("shop") ?? "";
  const cached = installedShops.get(domain);
  if (cached !== undefined) return cached;
  const shop = await findInstalledShop(domain);
  if (!shop) throw new ShopNotInstalledError(domain);
  installedShops.set(domain, shop);
  return shop;
}

/** The signed `logged_in_customer_id`: none for a guest, refused when no Shopify id can be it. */
export function signedCustomerId(url: URL): bigint | null {
  const signedCustomer = url.searchParams.get("logged_in_customer_id") ?? "";
  if (isBeyondStorableId(signedCustomer)) {
    throw new InvalidInputError("logged_in_customer_id is out of range", {
      code: "invalid_customer_id",
    });
  }
  return parseStorableId(signedCustomer);
}
