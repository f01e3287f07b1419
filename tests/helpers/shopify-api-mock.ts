import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { TEST_SHOP } from "./shopify-requests";

export interface ShopifyApiMock {
  /** Bodies of the token exchange requests the app made, in order. */
  tokenRequests: Array<Record<string, unknown>>;
  /** Puts the previous global dispatcher back. */
  restore(): Promise<void>;
}

/**
 * Shopify's side of an install for TEST_SHOP, on undici's MockAgent (no network): the token
 * exchange grants an expiring offline token, and the Admin API answers the shop query the
 * install reads, after `graphqlDelayMs` (a slow Shopify widens races the app must survive).
 */
export function mockShopifyApi(options: { graphqlDelayMs?: number } = {}): ShopifyApiMock {
  const previous: Dispatcher = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.disableNetConnect();
  setGlobalDispatcher(agent);
  const tokenRequests: Array<Record<string, unknown>> = [];
  const shopify = agent.get(`https://${TEST_SHOP}`);
  shopify
    .intercept({ path: "/admin/oauth/access_token", method: "POST" })
    .reply(200, (request) => {
      tokenRequests.push(JSON.parse(String(request.body)));
      return {
        access_token: `shpat_exchanged_token_${tokenRequests.length}`,
        scope: "read_customers,write_customers",
        expires_in: 3600,
        refresh_token: "shprt_refresh",
        refresh_token_expires_in: 7776000,
      };
    })
    .persist();
  const shopQuery = shopify
    .intercept({ path: `/admin/api/${ADMIN_API_VERSION}/graphql.json`, method: "POST" })
    .reply(
      200,
      {
        data: {
          shop: {
            name: "Rekindle Test",
            email: "owner@example.com",
            myshopifyDomain: TEST_SHOP,
            currencyCode: "TRY",
            ianaTimezone: "Europe/Istanbul",
            plan: { publicDisplayName: "Basic" },
          },
        },
      },
      { headers: { "content-type": "application/json" } },
    )
    .persist();
  if (options.graphqlDelayMs) shopQuery.delay(options.graphqlDelayMs);
  return {
    tokenRequests,
    restore: async () => {
      setGlobalDispatcher(previous);
      await agent.close();
    },
  };
}
