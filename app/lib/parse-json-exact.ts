/**
 * JSON.parse that keeps Shopify's 64-bit ids exact. Shopify ids exceed 2^53, which a plain
 * JSON.parse silently rounds; every integer under an `id` / `*_id` key, and any integer too
 * large for a double, comes back as its exact decimal string instead. Relies on the source
 * text the reviver receives (JSON.parse source text access, Node 21+).
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, function revive(key, value, context?: { source?: string }) {
    if (typeof value !== "number" || !Number.isInteger(value)) return value;
    // Without the source text (Node < 21) an id would be rounded: refuse rather than guess.
    if (context?.source === undefined) {
      throw new Error("JSON.parse gives no source text here (Node.js 22 or newer is required)");
    }
    if (key === "id" || key.endsWith("_id") || !Number.isSafeInteger(value)) {
      return context.source;
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}
