/**
 * The dashboard's "viewed but not bought": for a segment's customers (or all customers), the
 * products they looked at most in the last 30 days that those same viewers did not buy in that
 * time. A view counts for a customer when they were signed in or their browser was stitched to
 * them; anonymous views have no customer to belong to a segment. A product one viewer bought
 * still counts for the other viewers who did not.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export const VIEWED_NOT_BOUGHT_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ViewedNotBoughtProduct {
  productId: string;
  /** Null when the product is no longer in the catalogue. */
  title: string | null;
  views: number;
  viewers: number;
}

/**
 * Products by viewers, then views, for customers of `segmentId` (all customers when null).
 * Plan: the window bounds `occurred_at`, so only the last 30 daily partitions are read; with a
 * segment, its members (segment_membership's key) drive an index scan of pixel_event by
 * (shop_id, customer_id, occurred_at); the purchase check is an anti-join through order
 * (shop_id, customer_id, processed_at) and order_line (shop_id, order_id) per viewer and product.
 */
export async function topViewedNotBought(
  sql: SqlQueryable,
  shopId: number,
  options: { segmentId: bigint | null; now: Date; limit: number },
): Promise<ViewedNotBoughtProduct[]> {
  const since = new Date(options.now.getTime() - VIEWED_NOT_BOUGHT_DAYS * DAY_MS);
  const members = `SELECT sm.customer_id FROM segment_membership sm
                   WHERE sm.shop_id = $1 AND sm.segment_id = $5::bigint`;
  const { rows } = await sql.query<{
    product_id: string;
    title: string | null;
    views: number;
    viewers: number;
  }>(
    `WITH window_views AS (
       SELECT e.customer_id, e.product_id FROM pixel_event e
       WHERE e.shop_id = $1 AND e.name = 'product_viewed' AND e.customer_id IS NOT NULL
         AND e.occurred_at >= ($2::timestamptz AT TIME ZONE 'UTC')
         AND e.occurred_at < ($3::timestamptz AT TIME ZONE 'UTC')
       UNION ALL
       SELECT v.customer_id, e.product_id FROM pixel_event e
       JOIN pixel_visitor v ON v.shop_id = e.shop_id AND v.client_id = e.client_id
       WHERE e.shop_id = $1 AND e.name = 'product_viewed' AND e.customer_id IS NULL
         AND v.customer_id IS NOT NULL
         AND e.occurred_at >= ($2::timestamptz AT TIME ZONE 'UTC')
         AND e.occurred_at < ($3::timestamptz AT TIME ZONE 'UTC')
     ), viewer_product AS (
       SELECT w.customer_id, w.product_id, count(*) AS views FROM window_views w
       WHERE w.product_id IS NOT NULL
         ${options.segmentId === null ? "" : `AND w.customer_id IN (${members})`}
       GROUP BY w.customer_id, w.product_id
     )
     SELECT vp.product_id::text AS product_id, p.title,
            sum(vp.views)::int AS views, count(*)::int AS viewers
     FROM viewer_product vp
     JOIN customer c ON c.shop_id = $1 AND c.id = vp.customer_id AND c.deleted_at IS NULL
     LEFT JOIN product p ON p.shop_id = $1 AND p.id = vp.product_id AND p.deleted_at IS NULL
     WHERE NOT EXISTS (
       SELECT 1 FROM "order" o
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
       WHERE o.shop_id = $1 AND o.customer_id = vp.customer_id AND l.product_id = vp.product_id
         AND o.processed_at >= ($2::timestamptz AT TIME ZONE 'UTC')
         AND o.processed_at < ($3::timestamptz AT TIME ZONE 'UTC')
         AND o.cancelled_at IS NULL AND o.deleted_at IS NULL AND NOT o.test
     )
     GROUP BY vp.product_id, p.title
     ORDER BY viewers DESC, views DESC, vp.product_id
     LIMIT $4`,
    [
      shopId,
      since.toISOString(),
      options.now.toISOString(),
      options.limit,
      ...(options.segmentId === null ? [] : [options.segmentId.toString()]),
    ],
  );
  return rows.map((row) => ({
    productId: row.product_id,
    title: row.title,
    views: row.views,
    viewers: row.viewers,
  }));
}
