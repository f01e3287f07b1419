/** A customer's name as the admin shows it, or null when Shopify has neither part. */
export function displayName(firstName: string | null, lastName: string | null): string | null {
  return [firstName, lastName].filter(Boolean).join(" ") || null;
}
