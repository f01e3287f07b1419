import { json } from "@remix-run/node";
import { isBeyondStorableId, parseStorableId } from "~/lib/shopify-id";
import { findInstalledShop, type InstalledShop } from "~/models/shop.server";
import { authenticate } from "~/shopify.server";
import { ResponseCache } from "~/lib/response-cache";

export interface ProxyRequestContext {
  request: Request;
  shop: InstalledShop;
  /**
   * The shopper, from Shopify's signed `logged_in_customer_id` only: a query parameter the
   * shopper could edit is never trusted for identity.
   */
  customerId: bigint | null;
  url: URL;
}

export type ProxyHandler = (context: ProxyRequestContext) => Promise<Response>;

/**
 * Installed shops by domain, briefly: every storefront request needs the shop and it changes
 * only on install and uninstall. An uninstall is noticed within the TTL; a shop that is not
 * installed is never remembered, so a fresh install answers at once.
 */
const installedShops = new ResponseCache<InstalledShop>(10_000, 10_000);

async function installedShop(domain: string): Promise<InstalledShop | null> {
  const cached = installedShops.get(domain);
  if (cached !== undefined) return cached;
  const shop = await findInstalledShop(domain);
  if (shop) installedShops.set(domain, shop);
  return shop;
}

const jsonError = (status: number, error: string) =>
  json({ error }, { status, headers: { "Cache-Control": "no-store" } });

/**
 * Entry for every storefront request Shopify forwards through the app proxy: verify the
 * signature (401 when it does not match), make sure the shop has the app installed, then
 * hand over to the endpoint's handler.
 */
export async function handleAppProxyRequest(
  request: Request,
  path: string,
  handlers: Readonly<Record<string, ProxyHandler>>,
): Promise<Response> {
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    // The library answers a bad or missing signature with 400; storefront clients get 401.
    if (error instanceof Response) return jsonError(401, "invalid_signature");
    throw error;
  }
  const url = new URL(request.url);
  const shop = await installedShop(url.searchParams.get("shop") ?? "");
  if (!shop) return jsonError(404, "shop_not_installed");

  const handler = Object.hasOwn(handlers, path) ? handlers[path] : undefined;
  if (!handler) return jsonError(404, "not_found");

  const signedCustomer = url.searchParams.get("logged_in_customer_id") ?? "";
  const customerId = parseStorableId(signedCustomer);
  if (isBeyondStorableId(signedCustomer)) return jsonError(400, "invalid_customer_id");
  return handler({ request, shop, customerId, url });
}
