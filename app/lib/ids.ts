/** PostgreSQL's bigint, where every Shopify id (and every id of ours) is stored. */
const MAX_DATABASE_ID = 2n ** 63n - 1n;

/**
 * Whether text is a decimal id the database can hold. Digits alone are not enough: a 20-digit
 * number passes a digit pattern and then fails in PostgreSQL ("out of range for type bigint").
 */
export function isDatabaseId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_DATABASE_ID;
}
