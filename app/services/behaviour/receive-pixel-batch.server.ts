import type { SqlQueryable } from "~/lib/database-adapter.server";
import {
  MAX_PIXEL_BODY_BYTES,
  PAST_TOLERANCE_MS,
  parsePixelBatch,
  pixelEventRows,
  type PixelBatch,
} from "./pixel-batch";
import { countPixelIngest, type PixelIngestReason } from "./pixel-ingest-counts.server";
import { storePixelEvents } from "./pixel-event-store.server";
import type { PixelRateLimits } from "./pixel-rate-limits";
import { isPixelShopKey } from "./pixel-shop-key.server";

/**
 * What the ingest did with a batch, in the contract's statuses: 204 stored (duplicates
 * included), 400 malformed, 403 not a key of an installed shop, 413 too large, 429 over a
 * rate limit (retry after the given seconds).
 */
export type PixelOutcome =
  | { status: 204 }
  | { status: 400 | 403 | 413; reason: PixelIngestReason }
  | { status: 429; reason: PixelIngestReason; retryAfterSeconds: number };

export interface PixelIngestContext {
  sql: SqlQueryable;
  /** The app secret the shop keys derive from. */
  secret: string;
  limits: PixelRateLimits;
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60_000;
/** How far back an earlier copy of a clamped event can be: the clamp's tolerance and a day. */
const CLAMPED_LOOKBACK_DAYS = Math.ceil(PAST_TOLERANCE_MS / DAY_MS) + 1;

/**
 * The web pixel's batch, from the body's bytes to stored rows: checked against the contract,
 * its key against its shop, rate limited, events without analytics consent dropped, clocks
 * clamped, and stored in one statement under the shop the key names, only if it is installed.
 * Every refusal and adjustment is counted under its reason (pixel-ingest-counts.server.ts).
 */
export async function receivePixelBatch(
  body: Uint8Array,
  context: PixelIngestContext,
): Promise<PixelOutcome> {
  if (body.length > MAX_PIXEL_BODY_BYTES) return refuse(413, "body_too_large");
  const parsed = parsePixelBatch(body);
  if (!parsed.ok) return refuse(400, parsed.reason);
  const { batch } = parsed;
  // Keys are made for the domain as Shopify spells it (lower case).
  const shopDomain = batch.shop.toLowerCase();
  if (!isPixelShopKey(context.secret, shopDomain, batch.key)) return refuse(403, "wrong_key");

  const limited = context.limits.take(shopDomain, eventsPerClient(batch));
  if (limited) {
    countPixelIngest(limited.reason, 1, shopDomain);
    return { status: 429, reason: limited.reason, retryAfterSeconds: limited.retryAfterSeconds };
  }

  const receivedAt = context.now?.() ?? new Date();
  const { rows, adjusted } = pixelEventRows(batch, receivedAt);
  const stored = await storePixelEvents(
    context.sql,
    shopDomain,
    rows,
    receivedAt,
    CLAMPED_LOOKBACK_DAYS,
  );
  if (stored.shopId === null) return refuse(403, "unknown_shop", shopDomain);
  for (const [reason, events] of adjusted) countPixelIngest(reason, events, shopDomain);
  countPixelIngest("duplicate", rows.length - stored.stored, shopDomain);
  return { status: 204 };
}

function refuse(
  status: 400 | 403 | 413,
  reason: PixelIngestReason,
  shopDomain?: string,
): PixelOutcome {
  countPixelIngest(reason, 1, shopDomain);
  return { status, reason };
}

function eventsPerClient(batch: PixelBatch): Map<string, number> {
  const perClient = new Map<string, number>();
  for (const event of batch.events) {
    perClient.set(event.clientId, (perClient.get(event.clientId) ?? 0) + 1);
  }
  return perClient;
}
