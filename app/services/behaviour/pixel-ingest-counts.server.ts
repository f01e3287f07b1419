import { logger } from "~/lib/logger.server";
import type { BatchRefusal, EventAdjustment } from "./pixel-batch";
import type { RateRefusal } from "./pixel-rate-limits";

/**
 * Why the ingest refused a batch, or did not store an event as sent: every such case counts
 * here under its reason (in events for the per-event reasons, in batches otherwise).
 *
 * Counters in the web process's memory, not rows: most refusals come before a shop is verified
 * (a forged domain, a wrong key, a malformed body), so there is no tenant to file them under,
 * and a row per refusal would turn a flood of junk into database writes. The counters are
 * read by the tests and the benchmark (`pixelIngestCounts`), and each reason is logged, with
 * the verified shop's domain when there is one and never a client id, query or path: at most
 * one line per reason a second, carrying how many were counted since the last line, so a flood
 * costs counters, not log volume.
 */
export type PixelIngestReason =
  | BatchRefusal
  | EventAdjustment
  | RateRefusal["reason"]
  | "body_too_large"
  | "wrong_key"
  | "unknown_shop"
  | "duplicate";

const counts = new Map<PixelIngestReason, number>();
const sinceLogged = new Map<PixelIngestReason, { count: number; loggedAtMs: number }>();
const LOG_EVERY_MS = 1000;

export function countPixelIngest(reason: PixelIngestReason, amount = 1, shopDomain?: string): void {
  if (amount <= 0) return;
  counts.set(reason, (counts.get(reason) ?? 0) + amount);
  const now = Date.now();
  const pending = sinceLogged.get(reason) ?? { count: 0, loggedAtMs: 0 };
  pending.count += amount;
  sinceLogged.set(reason, pending);
  if (now - pending.loggedAtMs < LOG_EVERY_MS) return;
  logger.warn(
    { reason, count: pending.count, ...(shopDomain ? { shop: shopDomain } : {}) },
    "pixel events not stored as sent",
  );
  pending.count = 0;
  pending.loggedAtMs = now;
}

/** The counts so far in this process, by reason. */
export function pixelIngestCounts(): Partial<Record<PixelIngestReason, number>> {
  return Object.fromEntries(counts);
}
