/**
 * Shopify's numeric ids are unsigned 64-bit; the database keeps them in signed bigint columns.
 * Every id that comes from outside (webhook bodies, storefront query strings) is checked here,
 * so one above 2^63 - 1 is refused with a clear answer instead of failing inside a query.
 */
const MAX_STORABLE_ID = 2n ** 63n - 1n;

/** The id a digit string names, or null when it is not one a bigint column can hold. */
export function parseStorableId(digits: string): bigint | null {
  if (!/^\d{1,19}$/.test(digits)) return null;
  const id = BigInt(digits);
  return id >= 1n && id <= MAX_STORABLE_ID ? id : null;
}

/** A number, but larger than any id a bigint column can hold: refused rather than ignored. */
export function isBeyondStorableId(text: string): boolean {
  return /^\d+$/.test(text) && BigInt(text) > MAX_STORABLE_ID;
}

/**
 * Whether untrusted text is a canonical id the database can hold: `1` … `2^63 − 1`, no sign,
 * padding or leading zero (digits alone are not enough past 2^63 − 1).
 */
export const isDatabaseId = (text: string): boolean =>
  /^[1-9]\d{0,18}$/.test(text) && parseStorableId(text) !== null;
