import { createHash } from "node:crypto";
import type { Variant } from "./ab-test";

/**
 * A customer's variant at an A/B-tested step: an even split over customers, and always the
 * same for the same customer at the same step (a hash, nothing stored).
 */
export function stickyVariant(customerId: bigint | string, stepKey: string): Variant {
  const digest = createHash("sha256").update(`${customerId}:${stepKey}`).digest();
  return digest.readUInt32BE(0) % 2 === 0 ? "A" : "B";
}
