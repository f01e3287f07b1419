import { Session } from "@shopify/shopify-api";
import { appSessionStorage } from "~/services/shopify/session-storage.server";
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll } from "vitest";
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
