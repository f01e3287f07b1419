import { createHash } from "node:crypto";

/**
 * Whether a customer is in a rule's control group: a hash of the rule and the customer, so the
 * same customer is always on the same side of the same rule (rerun, resumed or replanned) and
 * the groups are a random split with respect to everything the merchant can see.
 */
export function isHeldOut(ruleId: bigint, customerId: bigint, holdoutPercent: number): boolean {
  if (holdoutPercent <= 0) return false;
  const digest = createHash("sha256").update(`holdout:${ruleId}:${customerId}`).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100 < holdoutPercent;
}
