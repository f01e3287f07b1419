/**
 * The products a shopper looked at on the storefront, newest first, for the "Recently viewed"
 * block. A signed-in customer sees their own views (from any browser stitched to them) and the
 * current browser's anonymous ones; a guest sees only the anonymous views of their browser, so a
 * shared computer never shows a signed-out customer's history.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

/** Who is looking: the signed customer, the web pixel's client id of this browser, or both. */
export interface Viewer {
  customerId: bigint | null;
  clientId: string | null;
}

/** Views older than the pixel's retention are gone anyway; the bound prunes partitions. */
export const RECENTLY_VIEWED_DAYS = 90;
const DAY_MS = 86_400_000;
const SINCE = `($4::timestamptz AT TIME ZONE 'UTC')`;

/**
 * Product ids the viewer viewed, each once at its latest view, newest first: only products the
 * catalogue still offers (active, not deleted), never `excludeProductId` (the page's own).
 */
export async function recentlyViewedProductIds(
  sql: SqlQueryable,
  shopId: number,
  viewer: Viewer,
  options: { excludeProductId: string | null; limit: number; now: Date },
): Promise<string[]> {
  if (viewer.customerId === null && viewer.clientId === null) return [];
  const since = new Date(options.now.getTime() - RECENTLY_VIEWED_DAYS * DAY_MS);
  // Three index-friendly branches rather than one OR: the customer's own rows, rows of browsers
  // stitched to them, and this browser's anonymous rows.
  const { rows } = await sql.query<{ product_id: string }>(
    `WITH views AS (
       SELECT e.product_id, e.occurred_at FROM pixel_event e
       WHERE e.shop_id = $1 AND e.customer_id = $2 AND e.occurred_at >= ${SINCE}
         AND e.name = 'product_viewed'
       UNION ALL
       SELECT e.product_id, e.occurred_at FROM pixel_visitor v
       JOIN pixel_event e ON e.shop_id = v.shop_id AND e.client_id = v.client_id
       WHERE v.shop_id = $1 AND v.customer_id = $2 AND e.occurred_at >= ${SINCE}
         AND e.name = 'product_viewed' AND e.customer_id IS NULL
       UNION ALL
       SELECT e.product_id, e.occurred_at FROM pixel_event e
       WHERE e.shop_id = $1 AND e.client_id = $3 AND e.occurred_at >= ${SINCE}
         AND e.name = 'product_viewed' AND e.customer_id IS NULL
     ), latest AS (
       SELECT product_id, max(occurred_at) AS viewed_at FROM views
       WHERE product_id IS NOT NULL AND product_id IS DISTINCT FROM $5::bigint
       GROUP BY product_id
     )
     SELECT l.product_id::text AS product_id FROM latest l
     JOIN product p ON p.shop_id = $1 AND p.id = l.product_id
     WHERE p.status = 'active' AND p.deleted_at IS NULL
     ORDER BY l.viewed_at DESC, l.product_id DESC
     LIMIT $6`,
    [
      shopId,
      viewer.customerId?.toString() ?? null,
      viewer.clientId,
      since.toISOString(),
      options.excludeProductId,
      options.limit,
    ],
  );
  return rows.map((row) => row.product_id);
}
