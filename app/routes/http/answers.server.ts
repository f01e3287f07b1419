/**
 * Where the app's results and typed errors become HTTP answers. Services return data or throw
 * the errors of ~/lib/errors; only routes (and this folder, which Remix's flat routes do not
 * take for a route: it has no route or index file) build a Response.
 */
import { json } from "@remix-run/node";
import {
  AlreadyRecordedError,
  AppError,
  InvalidInputError,
  NotFoundError,
  NotVerifiedError,
  PayloadTooLargeError,
  ShopNotInstalledError,
} from "~/lib/errors";
import { isDatabaseId } from "~/lib/shopify-id";
import type { WebhookOutcome } from "~/services/webhooks/receive-webhook.server";

/**
 * Cache-Control of storefront answers: an anonymous product page's recommendations may sit in
 * browsers and Shopify's proxy for a few minutes; anything personal never does.
 */
export const CACHE_CONTROL = {
  public: "public, max-age=300",
  private: "private, no-store",
  noStore: "no-store",
} as const;

/** Each refusal a client can act on: its status and the `{ error }` name when the error has none. */
const REFUSALS: ReadonlyArray<
  readonly [abstract new (...args: never[]) => AppError, number, string]
> = [
  [InvalidInputError, 400, "invalid_input"],
  [NotVerifiedError, 403, "not_verified"],
  [NotFoundError, 404, "not_found"],
  [ShopNotInstalledError, 404, "shop_not_installed"],
  [AlreadyRecordedError, 409, "already_recorded"],
  [PayloadTooLargeError, 413, "too_large"],
];

/** The JSON `{ error }` answer storefront clients and the checkout extension branch on. */
export const jsonError = (status: number, error: string, headers: HeadersInit) =>
  json({ error }, { status, headers });

/**
 * A typed error as a JSON refusal; anything else is thrown on, so Remix logs it and answers 500
 * (a failure of ours must not pass for the client's).
 */
export function jsonRefusal(error: unknown, headers: HeadersInit): Response {
  const refusal =
    error instanceof AppError ? REFUSALS.find(([type]) => error instanceof type) : undefined;
  if (!refusal) throw error;
  const [, status, name] = refusal;
  return jsonError(status, (error as AppError).code ?? name, headers);
}

/** 405 with the method the endpoint does serve. */
export const methodNotAllowed = (allowed: string, headers: Record<string, string> = {}) =>
  jsonError(405, "method_not_allowed", { ...headers, Allow: allowed });

/** What Shopify reads from a webhook delivery's answer: 200 acknowledges, anything else retries. */
export const webhookResponse = ({ status, text }: WebhookOutcome) => new Response(text, { status });

/** A route parameter as a database id, or a 404 answer when it cannot be one. */
export function idParamOr404(param: string | undefined): bigint {
  if (param === undefined || !isDatabaseId(param)) throw notFound();
  return BigInt(param);
}

/** For a route's catch: a service's NotFoundError becomes a 404 answer, anything else goes on. */
export function rethrowNotFoundAs404(error: unknown): never {
  throw error instanceof NotFoundError ? notFound() : error;
}

const notFound = () => new Response("Not found", { status: 404 });

/** A form the merchant can correct: 422, with the messages the page shows beside its fields. */
export const invalidForm = <T>(data: T) => json(data, { status: 422 });

/** A request no page of ours sends (an unknown intent, a malformed field): 400. */
export const badRequest = <T>(data: T) => json(data, { status: 400 });
