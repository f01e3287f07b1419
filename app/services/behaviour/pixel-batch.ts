/**
 * A web pixel batch as the pixel sends it (/work/notes/pixel-contract.md, issue 20), checked
 * and turned into the rows the ingest stores. Pure: the endpoint reads the body, this says what
 * it holds or why it is refused.
 */
import { z } from "zod";
import { parseStorableId } from "~/lib/shopify-id";

/** Where the pixel posts, on the app's own origin (the pixel's `ingestUrl` setting). */
export const PIXEL_EVENTS_PATH = "/pixel/events";
export const MAX_PIXEL_BODY_BYTES = 64 * 1024;
export const MAX_PIXEL_EVENTS = 100;

export const PIXEL_EVENT_NAMES = [
  "page_viewed",
  "product_viewed",
  "collection_viewed",
  "search_submitted",
  "product_added_to_cart",
  "checkout_started",
  "checkout_completed",
] as const;
export type PixelEventName = (typeof PIXEL_EVENT_NAMES)[number];

/**
 * How far a browser's clock may be from ours before its timestamp is replaced by the time of
 * receipt: a few minutes ahead (clocks drift), a week behind (a beacon queued while offline).
 * Beyond those the time says nothing, and it would land the row in a partition that was
 * dropped or not made yet.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
export const PAST_TOLERANCE_MS = 7 * 24 * 60 * 60_000;

/** Text PostgreSQL can store and a log can show: no NUL or other control characters. */
const plainText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !/\p{Cc}/u.test(text), "control character");

/** Free text (a search, a path): anything but NUL, which PostgreSQL's text cannot hold. */
const freeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !text.includes("\u0000"), "NUL character")
    .nullish();

/** A number or its digits, or Shopify's global id of that `type`. */
const shopifyId = (type: string) =>
  z
    .union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().max(80)])
    .nullish()
    .transform((value, context) => {
      if (value === null || value === undefined) return null;
      const text = String(value);
      const prefix = `gid://shopify/${type}/`;
      const digits = text.startsWith(prefix) ? text.slice(prefix.length) : text;
      const id = parseStorableId(digits);
      if (id === null) {
        context.addIssue({ code: "custom", message: `not a ${type} id` });
        return z.NEVER;
      }
      return id.toString();
    });

const pixelEvent = z.object({
  id: plainText(128),
  name: z.enum(PIXEL_EVENT_NAMES),
  at: z
    .string()
    .max(40)
    .refine((text) => !Number.isNaN(Date.parse(text)), "not a timestamp"),
  clientId: plainText(128),
  customerId: shopifyId("Customer"),
  productId: shopifyId("Product"),
  variantId: shopifyId("ProductVariant"),
  collectionId: shopifyId("Collection"),
  query: freeText(200),
  path: freeText(512),
  consent: z.object({ analytics: z.boolean(), marketing: z.boolean() }),
});

const pixelBatch = z.object({
  v: z.literal(1),
  shop: z
    .string()
    .max(255)
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/),
  key: z.string().max(64),
  events: z.array(pixelEvent).min(1).max(MAX_PIXEL_EVENTS),
});

export type PixelBatch = z.infer<typeof pixelBatch>;
export type PixelEventInput = PixelBatch["events"][number];

/** Why a batch was refused whole (answered 400). */
export type BatchRefusal =
  "malformed_json" | "too_many_events" | "unknown_event_name" | "invalid_batch";

export type ParsedBatch = { ok: true; batch: PixelBatch } | { ok: false; reason: BatchRefusal };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The batch in `body` (UTF-8 JSON), or why it is not one. */
export function parsePixelBatch(body: Uint8Array): ParsedBatch {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(body));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const events = (json as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > MAX_PIXEL_EVENTS) {
    return { ok: false, reason: "too_many_events" };
  }
  const parsed = pixelBatch.safeParse(json);
  if (parsed.success) return { ok: true, batch: parsed.data };
  const badName = parsed.error.issues.some(
    (issue) => issue.path[0] === "events" && issue.path[2] === "name",
  );
  return { ok: false, reason: badName ? "unknown_event_name" : "invalid_batch" };
}

/** One event as stored: ids as digit strings (bigint columns), the time clamped when implausible. */
export interface PixelEventRow {
  eventId: string;
  name: PixelEventName;
  occurredAt: Date;
  clientId: string;
  customerId: string | null;
  productId: string | null;
  variantId: string | null;
  collectionId: string | null;
  searchQuery: string | null;
  path: string | null;
  marketingConsent: boolean;
  /** Whether `occurredAt` is the time of receipt in place of the browser's. */
  clamped: boolean;
}

/** What happened to events of an accepted batch that are not stored as sent. */
export type EventAdjustment = "no_consent" | "clock_future" | "clock_past";

/**
 * The rows to store for an accepted batch: events without analytics consent are dropped, and
 * timestamps out of tolerance are replaced by `receivedAt`; each is counted in `adjusted`.
 */
export function pixelEventRows(
  batch: PixelBatch,
  receivedAt: Date,
): { rows: PixelEventRow[]; adjusted: Map<EventAdjustment, number> } {
  const adjusted = new Map<EventAdjustment, number>();
  const count = (reason: EventAdjustment) => adjusted.set(reason, (adjusted.get(reason) ?? 0) + 1);
  const now = receivedAt.getTime();
  const rows: PixelEventRow[] = [];
  for (const event of batch.events) {
    if (!event.consent.analytics) {
      count("no_consent");
      continue;
    }
    const at = Date.parse(event.at);
    const drift =
      at > now + FUTURE_TOLERANCE_MS
        ? "clock_future"
        : at < now - PAST_TOLERANCE_MS
          ? "clock_past"
          : null;
    if (drift) count(drift);
    rows.push({
      eventId: event.id,
      name: event.name,
      occurredAt: drift ? receivedAt : new Date(at),
      clientId: event.clientId,
      customerId: event.customerId,
      productId: event.productId,
      variantId: event.variantId,
      collectionId: event.collectionId,
      searchQuery: event.query || null,
      path: event.path || null,
      marketingConsent: event.consent.marketing,
      clamped: drift !== null,
    });
  }
  return { rows, adjusted };
}
