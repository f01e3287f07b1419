import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "~/lib/logger.server";
import { receiveDelivery, type WebhookOutcome } from "~/services/webhooks/receive-webhook.server";
import {
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_ROUTES,
  type WebhookRoute,
} from "~/services/webhooks/webhook-topics";
import { readBoundedBody } from "./bounded-body.server";

/** Takes a request when it is a webhook delivery (answering it) and says whether it did. */
export type WebhookFront = (request: IncomingMessage, response: ServerResponse) => boolean;

const ROUTES: ReadonlySet<string> = new Set(Object.keys(WEBHOOK_ROUTES));

/**
 * Webhook deliveries answered on the raw node:http request, ahead of Express and Remix: the
 * same `receiveDelivery` the Remix routes call, fed the body's bytes as they arrived. Ingest
 * is the app's hottest path (Shopify waits at most 5 s, then retries), and without the
 * framework's request objects, body parsers and Fetch API conversions a web process stores
 * several times as many deliveries per second (`npm run bench`). Other methods and paths go
 * on to the app; the Remix webhook routes stay for servers without this front.
 */
export function webhookFront(): WebhookFront {
  return (request, response) => {
    if (request.method !== "POST") return false;
    const route = webhookRoute(request.url ?? "");
    if (!route) return false;
    ingest(route, request, response);
    return true;
  };
}

function webhookRoute(url: string): WebhookRoute | undefined {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  return ROUTES.has(path) ? (path as WebhookRoute) : undefined;
}

function ingest(route: WebhookRoute, request: IncomingMessage, response: ServerResponse) {
  readBoundedBody(request, response, MAX_WEBHOOK_BODY_BYTES, {
    tooLarge: () => send(response, 413, "Payload too large"),
    body: (body) => {
      receiveDelivery(route, {
        method: "POST",
        header: (name) => headerValue(request.headers[name]),
        body,
      }).then(
        (outcome) => answer(response, outcome),
        (error: unknown) => {
          logger.error({ err: error, path: route }, "webhook delivery failed");
          // Not stored: Shopify retries a 5xx.
          send(response, 500, "Internal Server Error");
        },
      );
    },
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

function answer(response: ServerResponse, outcome: WebhookOutcome) {
  send(response, outcome.status, outcome.text ?? "");
}

function send(response: ServerResponse, status: number, text: string) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
