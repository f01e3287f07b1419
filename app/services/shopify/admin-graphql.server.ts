import { AppError, ShopifyUserError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";

/** One Admin GraphQL call: the raw `{data, errors, extensions}` body. */
export type AdminGraphqlTransport = (
  document: string,
  variables?: Record<string, unknown>,
) => Promise<GraphqlBody>;

/** How background work reaches a shop's Admin API (the offline session in production). */
export type TransportFor = (shopDomain: string) => Promise<AdminGraphqlTransport>;

export interface GraphqlBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  extensions?: {
    cost?: {
      requestedQueryCost?: number;
      throttleStatus?: {
        maximumAvailable: number;
        currentlyAvailable: number;
        restoreRate: number;
      };
    };
  };
}

export class AdminGraphqlError extends AppError {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
  }
}

export interface AdminGraphqlOptions {
  /** How many THROTTLED answers to wait out before giving up. */
  maxThrottleRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends a document and returns its `data`. A THROTTLED answer is waited out for as long as
 * the leaky bucket needs to refill the query's cost (from `extensions.cost`), then retried;
 * any other GraphQL error is an AdminGraphqlError.
 */
export async function adminGraphqlRequest<T>(
  transport: AdminGraphqlTransport,
  document: string,
  variables: Record<string, unknown> = {},
  options: AdminGraphqlOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const maxRetries = options.maxThrottleRetries ?? 10;
  for (let attempt = 0; ; attempt++) {
    const body = await transport(document, variables);
    const codes = (body.errors ?? []).map((error) => error.extensions?.code ?? "ERROR");
    if (codes.includes("THROTTLED") && attempt < maxRetries) {
      const wait = throttleWaitMs(body);
      logger.debug({ wait, attempt }, "Admin API throttled, waiting");
      await sleep(wait);
      continue;
    }
    if (body.errors?.length) {
      throw new AdminGraphqlError(body.errors.map((error) => error.message).join("; "), codes);
    }
    return body.data as T;
  }
}

/** Time for the bucket to hold the query's cost again, never less than a second. */
export function throttleWaitMs(body: GraphqlBody): number {
  const cost = body.extensions?.cost;
  const status = cost?.throttleStatus;
  if (!status || status.restoreRate <= 0) return 1000;
  const missing = (cost.requestedQueryCost ?? status.restoreRate) - status.currentlyAvailable;
  return Math.max(1000, Math.ceil((missing / status.restoreRate) * 1000));
}

/** Throws when a mutation payload reports userErrors; the payload is returned otherwise. */
export function requireNoUserErrors<
  P extends { userErrors: Array<{ field?: string[] | null; message: string }> },
>(operation: string, payload: P | null | undefined): P {
  if (!payload) throw new AppError(`${operation} returned no payload`);
  if (payload.userErrors.length > 0) throw new ShopifyUserError(operation, payload.userErrors);
  return payload;
}
