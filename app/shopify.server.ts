import "@shopify/shopify-app-remix/adapters/node";
import {
  AppDistribution,
  BillingInterval,
  BillingReplacementBehavior,
  LogSeverity,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { withoutBotVerdictForSessionRequests } from "./lib/admin-request-guards";
import { ADMIN_API_VERSION } from "./lib/constants";
import { getEnv } from "./lib/env.server";
import { logger } from "./lib/logger.server";
import { appSessionStorage } from "./services/shopify/session-storage.server";
import { onShopAuthenticated } from "./services/install.server";
import { adminContextTransport } from "./services/shopify/admin-context-transport.server";
import { PAID_PLANS } from "./services/billing/plans";

const LIBRARY_LOG_LEVELS = {
  [LogSeverity.Error]: "error",
  [LogSeverity.Warning]: "warn",
  [LogSeverity.Info]: "info",
  [LogSeverity.Debug]: "debug",
} as const;

/**
 * The paid plans as Shopify's Billing API charges them (appSubscriptionCreate through
 * `billing.request`), keyed by the subscription name the gates read back. A change of plan
 * replaces the current subscription at once, so the merchant's new features (or limits) apply
 * as soon as they approve.
 */
const BILLING = Object.fromEntries(
  PAID_PLANS.map((plan) => [
    plan.name,
    {
      trialDays: plan.trialDays,
      replacementBehavior: BillingReplacementBehavior.ApplyImmediately,
      lineItems: [
        {
          amount: plan.monthlyPriceUsd,
          currencyCode: "USD",
          interval: BillingInterval.Every30Days as const,
        },
      ],
    },
  ]),
);

function createShopifyApp() {
  const env = getEnv();
  return shopifyApp({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: ADMIN_API_VERSION,
    scopes: env.SCOPES,
    appUrl: env.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: appSessionStorage(),
    distribution: AppDistribution.AppStore,
    isEmbeddedApp: true,
    billing: BILLING,
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
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;

declare global {
  // One per process, like the session storage it holds (the Remix build bundles its own copy
  // of this module).
  var rekindleShopifyApp: ShopifyApp | undefined;
}

/**
 * The configured Shopify app, created on first use: importing this module reads no settings
 * and touches no database, so tests and tools import routes statically.
 */
export function shopifyAppInstance(): ShopifyApp {
  globalThis.rekindleShopifyApp ??= createShopifyApp();
  return globalThis.rekindleShopifyApp;
}

export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders: ShopifyApp["addDocumentResponseHeaders"] = (
  request,
  headers,
) => shopifyAppInstance().addDocumentResponseHeaders(request, headers);
export const authenticate = {
  /** Routes call authenticateAdmin (app/routes/http), which refuses malformed shop params first. */
  admin: (request: Request) =>
    shopifyAppInstance().authenticate.admin(withoutBotVerdictForSessionRequests(request)),
  webhook: (request: Request) => shopifyAppInstance().authenticate.webhook(request),
  public: {
    appProxy: (request: Request) => shopifyAppInstance().authenticate.public.appProxy(request),
    checkout: (
      request: Request,
      options?: Parameters<ShopifyApp["authenticate"]["public"]["checkout"]>[1],
    ) => shopifyAppInstance().authenticate.public.checkout(request, options),
  },
};
export const unauthenticated = {
  admin: (shop: string) => shopifyAppInstance().unauthenticated.admin(shop),
};
export const login: ShopifyApp["login"] = (request) => shopifyAppInstance().login(request);
