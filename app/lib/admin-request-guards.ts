import { isbot } from "isbot";

/**
 * The request the Shopify library's admin authentication should judge. The library answers
 * any user agent `isbot` flags with 410, to keep crawlers from starting OAuth; Shopify's
 * template does nothing more. But a request that carries a session token (App Bridge's bearer
 * header, or the `id_token` the admin puts on the iframe URL) comes from inside Shopify admin,
 * whatever browser renders it: headless Chromium ("HeadlessChrome") for monitoring, review and
 * browser tests included. Such a request is handed over without its user agent, so only its
 * token decides (a forged one is still refused); anything else keeps the library's filter.
 */
export function withoutBotVerdictForSessionRequests(request: Request): Request {
  const userAgent = request.headers.get("user-agent");
  if (!userAgent || !isbot(userAgent) || !carriesSessionToken(request)) return request;
  const headers = new Headers(request.headers);
  headers.delete("user-agent");
  return new Request(request.clone(), { headers });
}

function carriesSessionToken(request: Request): boolean {
  if (/^Bearer\s+\S+/i.test(request.headers.get("authorization") ?? "")) return true;
  return new URL(request.url).searchParams.has("id_token");
}
