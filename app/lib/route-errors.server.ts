import { json } from "@remix-run/node";
import { NotFoundError } from "./errors";
import { isDatabaseId } from "./shopify-id";

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
