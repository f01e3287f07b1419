import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { confirmSubscription } from "./app-billing";
import { AdminGraphqlEndpoint, type BulkOperation } from "./graphql/admin-endpoint";
import { loadAdminSchema } from "./graphql/admin-schema";
import type { CostBucket } from "./graphql/throttle";
import type { StoreData } from "./model";
import { gid } from "./shopify-json";
import { DevStore } from "./store";
import { OAuthError, TokenIssuer } from "./token-exchange";
import { WebhookDelivery, type DeliveryFaults } from "./webhook-delivery";
import type { PixelExtension } from "./web-pixel";
import { subscriptionsFromAppToml } from "./webhook-subscriptions";

export interface AppCredentials {
  apiKey: string;
  secret: string;
  scopes: string;
}

export interface DevStoreServerOptions {
  data: StoreData;
  app: AppCredentials;
  /** Where the app listens; webhooks and proxied storefront requests go there. */
  appUrl: string;
  port?: number;
  /** Deliver webhooks as changes happen (demo) or only on `flushWebhooks()` (tests). */
  autoDeliver?: boolean;
  faults?: DeliveryFaults;
  seed?: number;
  /** Admin API cost bucket (tests pass one on a controlled clock). */
  bucket?: CostBucket;
  /** Keeps the access tokens granted to the app across restarts (the demo's data folder). */
  tokenStateFile?: string;
  /** Keeps the app's web pixel record across restarts (the demo's data folder). */
  webPixelStateFile?: string;
  /** The app's deployed web pixel extension; default: the one in extensions/. */
  pixelExtension?: PixelExtension | null;
  /** Hands signed webhook requests to the app's route handlers instead of over HTTP (tests). */
  sendWebhook?: (request: Request) => Promise<Response>;
}

/** A route extension (admin frame, storefront): returns true when it answered. */
export type ExtraRoute = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => Promise<boolean> | boolean;

export interface DevStoreServer {
  url: string;
  store: DevStore;
  admin: AdminGraphqlEndpoint;
  tokens: TokenIssuer;
  webhooks: WebhookDelivery;
  flushWebhooks: WebhookDelivery["flush"];
  addRoute(route: ExtraRoute): void;
  close(): Promise<void>;
}

/**
 * The simulated Shopify store as one HTTP server: Admin GraphQL at the pinned version, OAuth
 * token exchange, bulk operation results, the merchant's confirmation page for the app's
 * subscriptions, and webhook delivery to the app.
 */
export async function startDevStoreServer(options: DevStoreServerOptions): Promise<DevStoreServer> {
  const store = new DevStore(options.data, {
    webPixelStateFile: options.webPixelStateFile,
    pixelExtension: options.pixelExtension,
  });
  const shop = store.shop.domain;
  const subscriptions = subscriptionsFromAppToml();
  let origin = "";
  const webhooks = new WebhookDelivery({
    appUrl: options.appUrl,
    shop,
    secret: options.app.secret,
    apiVersion: subscriptions.apiVersion || ADMIN_API_VERSION,
    routes: subscriptions.routes,
    faults: options.faults,
    seed: options.seed,
    send: options.sendWebhook,
  });
  let scheduled: NodeJS.Immediate | undefined;
  const scheduleDelivery = () => {
    if (!options.autoDeliver || scheduled) return;
    scheduled = setImmediate(() => {
      scheduled = undefined;
      void webhooks.flush();
    });
  };
  const admin = new AdminGraphqlEndpoint(loadAdminSchema(), store, {
    bucket: options.bucket,
    bulkResultBaseUrl: () => origin,
    adminBaseUrl: () => origin,
    onBulkOperationFinished: (operation: BulkOperation) => {
      webhooks.enqueue("bulk_operations/finish", {
        admin_graphql_api_id: gid("BulkOperation", operation.id),
        completed_at: operation.completedAt?.toISOString() ?? null,
        created_at: operation.createdAt.toISOString(),
        error_code: operation.errorCode?.toLowerCase() ?? null,
        status: operation.status.toLowerCase(),
        type: "query",
      });
      scheduleDelivery();
    },
  });
  store.onChange((change) => {
    webhooks.enqueue(change.topic, change.body);
    scheduleDelivery();
  });
  const tokens = new TokenIssuer(options.app, shop, options.tokenStateFile);
  const extraRoutes: ExtraRoute[] = [];
  const graphqlPath = `/admin/api/${ADMIN_API_VERSION}/graphql.json`;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { errors: String(error) });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", origin);
    if (request.method === "POST" && url.pathname === "/admin/oauth/access_token") {
      try {
        sendJson(response, 200, await tokens.exchange(await readJson(request)));
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        sendJson(response, error.status, { error: error.error, error_description: error.message });
      }
      return;
    }
    if (request.method === "POST" && /^\/admin\/api\/[\w-]+\/graphql\.json$/.test(url.pathname)) {
      if (url.pathname !== graphqlPath) {
        sendJson(response, 404, {
          errors: "Not Found: this store serves only the pinned API version",
        });
        return;
      }
      const token = request.headers["x-shopify-access-token"];
      if (typeof token !== "string" || !tokens.isValid(token)) {
        sendJson(response, 401, {
          errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
        });
        return;
      }
      const scopes = tokens.grants.get(token)?.scope.split(",") ?? [];
      const result = await admin.handle(await readJson(request), scopes);
      sendJson(response, result.status, result.body);
      return;
    }
    const confirmMatch = /^\/admin\/charges\/(\d+)\/confirm$/.exec(url.pathname);
    if (request.method === "GET" && confirmMatch) {
      const destination = confirmSubscription(
        store,
        BigInt(confirmMatch[1] ?? "0"),
        url.searchParams.has("decline"),
        origin,
      );
      if (!destination) {
        sendJson(response, 404, { errors: "Not Found" });
        return;
      }
      response.writeHead(302, { Location: destination });
      response.end();
      return;
    }
    const bulkMatch = /^\/bulk\/(\d+)\.jsonl$/.exec(url.pathname);
    if (request.method === "GET" && bulkMatch) {
      const operation = admin.bulkOperations.get(BigInt(bulkMatch[1] ?? "0"));
      if (!operation || operation.status !== "COMPLETED") {
        sendJson(response, 404, { errors: "Not Found" });
        return;
      }
      response.writeHead(200, { "Content-Type": "application/jsonl" });
      for (const line of operation.lines) {
        if (!response.write(`${line}\n`))
          await new Promise((resolve) => response.once("drain", resolve));
      }
      response.end();
      return;
    }
    for (const route of extraRoutes) {
      if (await route(request, response, url)) return;
    }
    sendJson(response, 404, { errors: "Not Found" });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  // "localhost" like the app, so the admin frame and the embedded app are the same site and
  // the browser gives the app its storage inside the iframe.
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    store,
    admin,
    tokens,
    webhooks,
    flushWebhooks: () => webhooks.flush(),
    addRoute: (route) => extraRoutes.push(route),
    close: () =>
      new Promise<void>((resolve) => {
        clearImmediate(scheduled);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(request);
  try {
    // Integers beyond 2^53 (a Flow payload's customer_id) stay exact, as their digits.
    const parsed: unknown = JSON.parse(
      text || "{}",
      (_key, value: unknown, context?: { source?: string }) =>
        typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)
          ? (context?.source ?? value)
          : value,
    );
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}
