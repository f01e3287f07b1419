import { authenticate } from "~/shopify.server";

/**
 * The Shopify library's admin authentication, after refusing with 400 a request whose `shop` or
 * `host` parameter cannot be one: shop domains and Shopify's base64 host are ASCII, and the
 * library copies them into response headers, where any other character makes it throw (a
 * server error) instead of refusing the request. Every admin route authenticates through here.
 */
export function authenticateAdmin(request: Request) {
  const params = new URL(request.url).searchParams;
  for (const name of ["shop", "host"]) {
    if (/[^\x21-\x7e]/.test(params.get(name) ?? "")) {
      throw new Response("Bad request", { status: 400 });
    }
  }
  return authenticate.admin(request);
}
