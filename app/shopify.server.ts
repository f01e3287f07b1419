import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import {
  refuseNonAsciiShopParams,
  withoutBotVerdictForSessionRequests,
} from "./lib/admin-request-guards";
import { ADMIN_API_VERSION } from "./lib/constants";
import { getEnv } from "./lib/env.server";
import { logger } from "./lib/logger.server";
import { appSessionStorage } from "./lib/session-storage.server";
import { onShopAuthenticated } from "./services/install.server";
import { adminContextTransport } from "./services/shopify/admin-context-transport.server";

const env = getEnv();

const LIBRARY_LOG_LEVELS = {
  [LogSeverity.Error]: "error",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Info]: "info",
  [LogSeverity.Debug]: "debug",
} as const;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: appSessionStorage,
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  // Webhook subscriptions are declared in shopify.app.toml (app-specific webhooks), which
  // Shopify manages on deploy; nothing is registered from code here.
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await onShopAuthenticated(session, adminContextTransport(admin));
    },
  },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  logger: {
    level: LogSeverity.Warning,
    // Route the library's messages into our structured log stream.
    log: (severity, message) => {
      const level = LIBRARY_LOG_LEVELS[severity];
      logger[level]({ source: "shopify-app-remix" }, message);
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

logger.debug({ apiVersion: ADMIN_API_VERSION }, "shopify app configured");

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = {
  ...shopify.authenticate,
  admin: (request: Request) => {
    refuseNonAsciiShopParams(request);
    return shopify.authenticate.admin(withoutBotVerdictForSessionRequests(request));
  },
};
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
