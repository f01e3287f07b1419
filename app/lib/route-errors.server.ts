import { NotFoundError } from "./errors";

/** The largest id PostgreSQL's bigint holds: a longer one in a URL names nothing. */
const MAX_BIGINT_ID = 2n ** 63n - 1n;

/** A route parameter as a database id, or a 404 answer when it cannot be one. */
export function idParamOr404(param: string | undefined): bigint {
  const id = /^\d{1,19}$/.test(param ?? "") ? BigInt(param as string) : null;
  if (id === null || id < 1n || id > MAX_BIGINT_ID) throw notFound();
  return id;
}

/** For a route's catch: a service's NotFoundError becomes a 404 answer, anything else goes on. */
export function rethrowNotFoundAs404(error: unknown): never {
  throw error instanceof NotFoundError ? notFound() : error;
}

const notFound = () => new Response("Not found", { status: 404 });
