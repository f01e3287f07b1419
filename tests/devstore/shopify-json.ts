/**
 * JSON as Shopify writes it: ids are plain JSON numbers even beyond 2^53, so bigint values
 * are emitted as raw digits (JSON.rawJSON, Node 21+), which is what makes a lossy parse in the
 * app observable.
 */
declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

export function toShopifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? JSON.rawJSON(item.toString()) : item,
  );
}

export const gid = (type: string, id: bigint | number | string) => `gid://shopify/${type}/${id}`;

/** The numeric id of a GID of the given type, or null when it is not one. */
export function parseGid(value: string, type?: string): bigint | null {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d{1,20})$/.exec(value);
  if (!match || (type && match[1] !== type)) return null;
  return BigInt(match[2] ?? "0");
}

export const isoTime = (date: Date | null) => (date ? date.toISOString() : null);
