import { Session } from "@shopify/shopify-api";
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll } from "vitest";
import { TEST_SHOP } from "./shopify-requests";

/**
 * For route tests behind embedded-admin authentication: the shop's stored offline session, and
 * the network shut for the file's tests so nothing reaches out.
 */
export function offlineSession(shop = TEST_SHOP): Session {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "test",
    isOnline: false,
    scope: process.env.SCOPES,
    accessToken: "shpat_test",
  });
}

export function shutNetworkDuringTests(): void {
  let previousDispatcher: Dispatcher;
  let network: MockAgent;
  beforeAll(() => {
    previousDispatcher = getGlobalDispatcher();
    network = new MockAgent();
    network.disableNetConnect();
    setGlobalDispatcher(network);
  });
  afterAll(async () => {
    setGlobalDispatcher(previousDispatcher);
    await network.close();
  });
}
