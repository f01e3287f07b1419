/** Shopify's numeric ids are positive signed 64-bit integers (what a Postgres bigint holds). */
const MAX_ID = 9223372036854775807n;

/**
 * A decimal Shopify id in range: `1` … `9223372036854775807`. Anything longer or larger would
 * fail the bigint cast in SQL, so untrusted ids are checked here first.
 */
export function isShopifyId(value: string): boolean {
  return /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_ID;
}
