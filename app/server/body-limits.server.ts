import type {
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from "express";
import getRawBody from "raw-body";
import { MAX_WEBHOOK_BODY_BYTES } from "~/services/webhooks/webhook-topics";

const KIB = 1024;

/**
 * The most a request body may hold, by path. Unauthenticated routes get what their real
 * callers need and no more: Shopify's webhooks, the storefront's proxy calls (events are a
 * handful of ids), the login form and unsubscribe POSTs. First match wins.
 */
export const BODY_LIMITS: ReadonlyArray<{ prefix: string; maxBytes: number }> = [
  { prefix: "/webhooks/", maxBytes: MAX_WEBHOOK_BODY_BYTES },
  { prefix: "/proxy/", maxBytes: 64 * KIB },
  { prefix: "/auth/", maxBytes: 16 * KIB },
  { prefix: "/email/unsubscribe", maxBytes: 16 * KIB },
];

/** Everything else: the embedded admin's forms (rules, segments, settings). */
export const DEFAULT_BODY_LIMIT = 1024 * KIB;

export function bodyLimitFor(path: string): number {
  return BODY_LIMITS.find(({ prefix }) => path.startsWith(prefix))?.maxBytes ?? DEFAULT_BODY_LIMIT;
}

/**
 * Reads every request body into `request.body` (a Buffer), refusing one over its path's limit
 * with 413 before reading it when its length is declared, and as soon as the limit is passed
 * when it is chunked. The connection is closed after a refusal so the rest is never read.
 */
export function limitRequestBodies(): RequestHandler {
  return (request, response, next) => {
    const declared = request.headers["content-length"];
    const alreadyRead = Buffer.isBuffer(request.body);
    if (
      alreadyRead ||
      (declared === undefined && request.headers["transfer-encoding"] === undefined)
    ) {
      next();
      return;
    }
    getRawBody(
      request,
      { length: declared, limit: bodyLimitFor(request.path) },
      (error: (Error & { type?: string; status?: number }) | null, body: Buffer) => {
        if (!error) {
          request.body = body;
          next();
          return;
        }
        refuse(request, response, error.type === "entity.too.large" ? 413 : 400);
      },
    );
  };
}

function refuse(request: ExpressRequest, response: ExpressResponse, status: 400 | 413) {
  response.set("Connection", "close");
  response
    .status(status)
    .type("text/plain")
    .send(status === 413 ? "Payload too large" : "Bad request body");
  response.once("finish", () => request.socket.destroy());
}
