import { Session } from "@shopify/shopify-api";
import { appSessionStorage } from "~/services/shopify/session-storage.server";
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll } from "vitest";
import type { TokenIssuer } from "../devstore/token-exchange";
import { TEST_SHOP } from "./shopify-requests";

/**
 * Stores the shop's offline session as an install leaves it, through the app's own session
 * storage (after forgetting whatever a previous test left in its lookup memory).
 */
export async function storeOfflineSession(
  options: { shop?: string; scope?: string; accessToken?: string } = {},
): Promise<void> {
  const shop = options.shop ?? TEST_SHOP;
  appSessionStorage().forgetShop(shop);
  await appSessionStorage().storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "test",
      isOnline: false,
      scope: options.scope ?? process.env.SCOPES,
      accessToken: options.accessToken ?? "shpat_test",
    }),
  );
}

/**
 * The offline access token the simulated store grants the app for a session token, the way the
 * library's token exchange gets one at install.
 */
export async function exchangeForOfflineToken(
  tokens: TokenIssuer,
  app: { apiKey: string; secret: string },
  sessionToken: string,
): Promise<string> {
  const grant = await tokens.exchange({
    client_id: app.apiKey,
    client_secret: app.secret,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: sessionToken,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  });
  return grant.access_token;
}

/** Shuts the network for `fetch` during the file's tests: nothing reaches Shopify. */
export function shutNetworkDuringTests(): void {
  let previous: Dispatcher;
  let agent: MockAgent;
  beforeAll(() => {
    previous = getGlobalDispatcher();
    agent = new MockAgent();
    agent.disableNetConnect();
    setGlobalDispatcher(agent);
  });
  afterAll(async () => {
    setGlobalDispatcher(previous);
    await agent.close();
  });
}
