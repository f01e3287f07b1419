import express, { type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { WEBHOOK_ROUTES, type WebhookRoute } from "~/services/webhooks/webhook-topics";
import { limitRequestBodies } from "./body-limits.server";

/**
 * Webhook deliveries answered in front of Remix: the same `receiveWebhook` the Remix routes
 * call, without the framework's request and response conversions. Ingest is the app's hottest
 * path (Shopify waits at most 5 s, then retries), and skipping those conversions halves its
 * p99 under load (`npm run bench`). The Remix routes stay for servers without this front.
 */
export function webhookIngestRouter(): express.Router {
  const router = express.Router();
  router.post(Object.keys(WEBHOOK_ROUTES), limitRequestBodies(), (request, response, next) => {
    ingestWebhook(request, response).catch(next);
  });
  return router;
}

async function ingestWebhook(request: ExpressRequest, response: ExpressResponse) {
  const body: Buffer = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const url = `http://${request.headers.host ?? "localhost"}${request.originalUrl}`;
  const outcome = await receiveWebhook(
    new Request(url, {
      method: "POST",
      headers,
      body: new Uint8Array(body),
    }),
    request.path as WebhookRoute,
  );
  response.status(outcome.status).send(outcome.text ?? "");
}
