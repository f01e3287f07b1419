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
