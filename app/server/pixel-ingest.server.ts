import type { IncomingMessage, ServerResponse } from "node:http";
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { MAX_PIXEL_BODY_BYTES, PIXEL_EVENTS_PATH } from "~/services/behaviour/pixel-batch";
import { countPixelIngest } from "~/services/behaviour/pixel-ingest-counts.server";
import { PixelRateLimits } from "~/services/behaviour/pixel-rate-limits";
import {
  receivePixelBatch,
  type PixelOutcome,
} from "~/services/behaviour/receive-pixel-batch.server";
import { readBoundedBody } from "./bounded-body.server";

/** Takes a request when it is for the pixel endpoint (answering it) and says whether it did. */
export type PixelFront = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * The web pixel's endpoint, answered on the raw node:http request ahead of Express and Remix
 * like webhook ingest (webhook-ingest.server.ts): the pixel sends a batch from every
 * storefront page a shopper leaves, so this is as hot as webhooks, and needs none of the
 * framework. The pixel posts with sendBeacon as text/plain, which needs no preflight; OPTIONS
 * is answered all the same. Any origin may post (the storefront's domain is the merchant's),
 * without credentials: the batch's shop key is what ties it to a shop.
 *
 * The rate limits live here, one set per web process (pixel-rate-limits.ts).
 */
export function pixelFront(): PixelFront {
  const limits = new PixelRateLimits();
  return (request, response) => {
    const url = request.url ?? "";
    const query = url.indexOf("?");
    if ((query === -1 ? url : url.slice(0, query)) !== PIXEL_EVENTS_PATH) return false;
    if (request.method === "POST") receive(request, response, limits);
    else if (request.method === "OPTIONS") send(response, 204);
    else send(response, 405, { Allow: "POST, OPTIONS" });
    return true;
  };
}

function receive(request: IncomingMessage, response: ServerResponse, limits: PixelRateLimits) {
  readBoundedBody(request, response, MAX_PIXEL_BODY_BYTES, {
    tooLarge: () => {
      countPixelIngest("body_too_large");
      send(response, 413);
    },
    body: (body) => {
      receivePixelBatch(body, {
        sql: getDatabase().sql,
        secret: getEnv().SHOPIFY_API_SECRET,
        limits,
      }).then(
        (outcome) => answer(response, outcome),
        (error: unknown) => {
          logger.error({ err: error, path: PIXEL_EVENTS_PATH }, "pixel batch failed");
          send(response, 500);
        },
      );
    },
  });
}

function answer(response: ServerResponse, outcome: PixelOutcome) {
  if (outcome.status === 429) {
    send(response, 429, { "Retry-After": String(outcome.retryAfterSeconds) });
  } else {
    send(response, outcome.status);
  }
}

/** A status and no body: the pixel reads nothing but the status. */
function send(response: ServerResponse, status: number, headers: Record<string, string> = {}) {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
    "Content-Length": "0",
    ...headers,
  });
  response.end();
}
