import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NotFoundError } from "~/lib/errors";
import {
  CACHE_CONTROL,
  jsonError,
  jsonRefusal,
  methodNotAllowed,
} from "~/routes/http/answers.server";
import {
  signedCustomerId,
  storefrontShop,
  type StorefrontShopper,
} from "~/services/storefront/app-proxy.server";
import { recordStorefrontEvent } from "~/services/storefront/events-endpoint.server";
import { storefrontOffer } from "~/services/storefront/offer-endpoint.server";
import { storefrontRecentlyViewed } from "~/services/storefront/recently-viewed-endpoint.server";
import { storefrontRecommendations } from "~/services/storefront/recommendations-endpoint.server";
import { authenticate } from "~/shopify.server";

type StorefrontEndpoint = (request: Request, shopper: StorefrontShopper) => Promise<Response>;

/**
 * Storefront endpoints under /apps/rekindle/*, by path. Each refuses other methods and its
 * service's typed errors with its own Cache-Control: the recommendations' 405 has none.
 */
const ENDPOINTS: Record<string, StorefrontEndpoint> = {
  recommendations: async (request, shopper) => {
    if (request.method !== "GET") return methodNotAllowed("GET");
    try {
      const { body, cache } = await storefrontRecommendations(shopper, new URL(request.url));
      return json(body, { headers: { "Cache-Control": CACHE_CONTROL[cache] } });
    } catch (error) {
      return jsonRefusal(error, { "Cache-Control": CACHE_CONTROL.private });
    }
  },
  // A shopper's own browsing: personal, like a signed-in shopper's recommendations.
  "recently-viewed": async (request, shopper) => {
    const headers = { "Cache-Control": CACHE_CONTROL.private };
    if (request.method !== "GET") return methodNotAllowed("GET", headers);
    return json(await storefrontRecentlyViewed(shopper, new URL(request.url)), { headers });
  },
  // A discount code must not sit in a shared cache.
  offer: async (request, shopper) => {
    const headers = { "Cache-Control": CACHE_CONTROL.private };
    if (request.method !== "GET") return methodNotAllowed("GET", headers);
    return json(await storefrontOffer(shopper), { headers });
  },
  // sendBeacon ignores the answer: the statuses are for the merchant's logs and for tests.
  events: async (request, shopper) => {
    const headers = { "Cache-Control": CACHE_CONTROL.noStore };
    if (request.method !== "POST") return methodNotAllowed("POST", headers);
    try {
      await recordStorefrontEvent(shopper, await request.text());
      return new Response(null, { status: 204, headers });
    } catch (error) {
      return jsonRefusal(error, headers);
    }
  },
};

/** The endpoint at `path` and who the request is for, in the order clients are told what failed. */
async function proxyTarget(request: Request, path: string) {
  const url = new URL(request.url);
  const shop = await storefrontShop(url);
  const endpoint = Object.hasOwn(ENDPOINTS, path) ? ENDPOINTS[path] : undefined;
  if (!endpoint) throw new NotFoundError(`No storefront endpoint at ${path}`);
  return { endpoint, shopper: { shop, customerId: signedCustomerId(url) } };
}

/**
 * Every storefront request Shopify forwards through the app proxy: verify the signature (401
 * when it does not match), make sure the shop has the app installed, find the endpoint, read
 * the signed shopper, then hand over.
 */
async function answerProxyRequest(request: Request, path: string): Promise<Response> {
  const headers = { "Cache-Control": CACHE_CONTROL.noStore };
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    // The library answers a bad or missing signature with 400; storefront clients get 401.
    if (error instanceof Response) return jsonError(401, "invalid_signature", headers);
    throw error;
  }
  let target: Awaited<ReturnType<typeof proxyTarget>>;
  try {
    target = await proxyTarget(request, path);
  } catch (error) {
    return jsonRefusal(error, headers);
  }
  return target.endpoint(request, target.shopper);
}

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  answerProxyRequest(request, params["*"] ?? "");

export const action = ({ request, params }: ActionFunctionArgs) =>
  answerProxyRequest(request, params["*"] ?? "");
