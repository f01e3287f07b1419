/**
 * A customer's product views for their profile's timeline: the views the web pixel recorded
 * while they were signed in and those of browsers stitched to them (before they signed in or
 * checked out), one entry per product and day so a shopper comparing a product ten times reads
 * as one line with a count.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface CustomerProductView {
  productId: string;
  /** The catalogue's title; null when the product is no longer in the catalogue. */
  title: string | null;
  /** The latest view of the product that day (UTC), ISO. */
  viewedAt: string;
  views: number;
}

/** As many as the timeline shows orders: the page is about recent behaviour. */
export const TIMELINE_VIEWS = 50;

export async function loadCustomerProductViews(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  limit = TIMELINE_VIEWS,
): Promise<CustomerProductView[]> {
  const { rows } = await sql.query<{
    product_id: string;
    title: string | null;
    viewed_at: string;
    views: number;
  }>(
    `WITH views AS (
       SELECT e.product_id, e.occurred_at FROM pixel_event e
       WHERE e.shop_id = $1 AND e.customer_id = $2 AND e.name = 'product_viewed'
       UNION ALL
       SELECT e.product_id, e.occurred_at FROM pixel_visitor v
       JOIN pixel_event e ON e.shop_id = v.shop_id AND e.client_id = v.client_id
       WHERE v.shop_id = $1 AND v.customer_id = $2 AND e.customer_id IS NULL
         AND e.name = 'product_viewed'
     ), per_day AS (
       SELECT product_id, max(occurred_at) AS viewed_at, count(*)::int AS views
       FROM views WHERE product_id IS NOT NULL
       GROUP BY product_id, occurred_at::date
     )
     SELECT d.product_id::text AS product_id, p.title, d.views,
            to_char(d.viewed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS viewed_at
     FROM per_day d
     LEFT JOIN product p ON p.shop_id = $1 AND p.id = d.product_id AND p.deleted_at IS NULL
     ORDER BY d.viewed_at DESC, d.product_id DESC
     LIMIT $3`,
    [shopId, customerId.toString(), limit],
  );
  return rows.map((row) => ({
    productId: row.product_id,
    title: row.title,
    viewedAt: row.viewed_at,
    views: row.views,
  }));
}
