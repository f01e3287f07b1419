import { createHmac } from "node:crypto";

// Crockford's base 32 without the look-alikes (I, L, O, U): easy to read out and type.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_CHARS = 10;

/**
 * A customer's single-use code, one per `key` (what it was made for). Deterministic, so work
 * that crashed after Shopify created the code recreates the same one and finds it taken (no
 * second code); keyed with a secret, so a shopper cannot work out anyone else's code.
 */
export function customerDiscountCode(secret: string, prefix: string, key: string): string {
  const digest = createHmac("sha256", secret).update(key).digest();
  let code = "";
  for (let i = 0; i < CODE_CHARS; i++) code += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return `${prefix}-${code}`;
}

/** The customer's code for one occurrence of a rule's trigger. */
export function winbackDiscountCode(
  secret: string,
  prefix: string,
  target: { ruleId: bigint; customerId: bigint; triggerKey: string },
): string {
  return customerDiscountCode(
    secret,
    prefix,
    `${target.ruleId}:${target.customerId}:${target.triggerKey}`,
  );
}
