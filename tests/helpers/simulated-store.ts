import { afterAll, beforeAll } from "vitest";
import type { StoreData } from "../devstore/model";
import { startDevStoreServer, type DevStoreServer } from "../devstore/server";
import { rerouteShopToDevStore } from "../devstore/shopify-reroute";
import { exchangeForOfflineToken } from "./offline-session";
import { APP_URL, TEST_SHOP, sessionToken } from "./shopify-requests";

/** What a route test reads of the simulated store once its file's tests have started. */
export interface SimulatedStore {
  server: DevStoreServer;
  app: { apiKey: string; secret: string; scopes: string };
  /** The offline token the store granted the app, for storeOfflineSession. */
  accessToken: string;
}

/**
 * The simulated Shopify store behind the test shop for a whole test file: started before its
 * tests with the given data and the app's scopes, the shop's Admin API calls rerouted to it and
 * an offline token exchanged as the app would; stopped after them. The returned object is
 * filled in before the first test runs.
 */
export function simulatedStoreForFile(options: {
  data: StoreData;
  scopes: string;
  sendWebhook?: (request: Request) => Promise<Response>;
  /** Shapes the store once it is up (collections, themes). */
  prepare?: (server: DevStoreServer) => void;
}): SimulatedStore {
  const app = {
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
    secret: process.env.SHOPIFY_API_SECRET ?? "",
    scopes: options.scopes,
  };
  const store = { app, accessToken: "" } as SimulatedStore;
  let restoreNetwork = () => {};
  beforeAll(async () => {
    store.server = await startDevStoreServer({
      data: options.data,
      app,
      appUrl: APP_URL,
      sendWebhook: options.sendWebhook,
    });
    options.prepare?.(store.server);
    restoreNetwork = rerouteShopToDevStore(TEST_SHOP, store.server.url);
    store.accessToken = await exchangeForOfflineToken(
      store.server.tokens,
      app,
      await sessionToken(),
    );
  });
  afterAll(async () => {
    restoreNetwork();
    await store.server.close();
  });
  return store;
}
