import { STATUS_CODES, type RequestListener } from "node:http";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { logger } from "~/lib/logger.server";
import { limitRequestBodies } from "./body-limits.server";
import type { PixelFront } from "./pixel-ingest.server";
import type { WebhookFront } from "./webhook-ingest.server";

export interface AppFrontOptions {
  /** In front of everything (the demo embeds the app in the simulated admin). */
  middleware?: RequestHandler[];
  /** Webhook ingest, answered on the raw request before Express sees it. */
  webhooks: WebhookFront;
  /** The web pixel's event batches, also answered on the raw request. */
  pixel: PixelFront;
  /** Static assets (production) or Vite's middlewares (development). */
  assets?: RequestHandler[];
  /** Remix itself. */
  remix: RequestHandler;
}

/**
 * The app's HTTP front: webhook deliveries and web pixel batches first, on the raw request
 * (they bound their own bodies); everything else through Express with bounded bodies on every route, assets, Remix,
 * and an error handler that answers with a status line only (never a stack trace, in any
 * mode). `options.middleware` sees the Express requests only.
 */
export function createAppFront(options: AppFrontOptions): RequestListener {
  const app = express();
  app.disable("x-powered-by");
  for (const handler of options.middleware ?? []) app.use(handler);
  app.use(limitRequestBodies());
  for (const handler of options.assets ?? []) app.use(handler);
  app.all("*", options.remix);
  app.use(answerErrorsPlainly);
  return (request, response) => {
    if (!options.webhooks(request, response) && !options.pixel(request, response)) {
      app(request, response);
    }
  };
}

const answerErrorsPlainly: ErrorRequestHandler = (error: unknown, request, response, next) => {
  const declared = (error as { status?: unknown; statusCode?: unknown } | null) ?? {};
  const candidate = Number(declared.status ?? declared.statusCode);
  const status = candidate >= 400 && candidate < 500 ? candidate : 500;
  if (status >= 500) {
    logger.error({ err: errorSummary(error), path: request.path }, "request failed");
  }
  if (response.headersSent) {
    next(error);
    return;
  }
  response
    .status(status)
    .type("text/plain")
    .send(STATUS_CODES[status] ?? "Error");
};

/** Name and code only: messages of database and library errors can carry customer data. */
function errorSummary(error: unknown): { type: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === "string" ? { code } : {}) };
}
