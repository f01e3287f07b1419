/**
 * A/B tests per placement: a merchant may show a share of shoppers bestsellers instead of
 * Rekindle's picks, to measure the difference on their own store. Assignment is a hash of the
 * shop, the placement and the visitor, so it is sticky (the same visitor sees the same arm on
 * every page and every day) and needs no stored state.
 */
import { createHash } from "node:crypto";
import type { Placement } from "./model/placements";

export type Arm = "ours" | "bestsellers";

/** The storefront script's visitor id: random, kept in the browser. */
const VISITOR_ID = /^[\w-]{8,64}$/;

/** Who is assigned: a signed-in customer by their id, else the browser's visitor id if valid. */
export function visitorOf(customerId: bigint | null, visitorParam: string | null): string | null {
  if (customerId !== null) return `c${customerId.toString()}`;
  return visitorParam !== null && VISITOR_ID.test(visitorParam) ? visitorParam : null;
}

/**
 * The arm of a visitor, or null when the placement runs no test or the visitor cannot be told
 * apart (they are served Rekindle's picks and left out of the test's figures).
 */
export function armOf(
  shop: string,
  placement: Placement,
  visitor: string | null,
  bestsellerSharePercent: number,
): Arm | null {
  if (!(bestsellerSharePercent > 0) || visitor === null) return null;
  const digest = createHash("sha256").update(`${shop}|${placement}|${visitor}`).digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  return unit < bestsellerSharePercent / 100 ? "bestsellers" : "ours";
}
