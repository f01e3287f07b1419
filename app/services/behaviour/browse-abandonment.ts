/**
 * Browse abandonment as SQL: the (customer_id, product_id, first_viewed_at) of customers who
 * viewed a product at least `views` times in the last `days` days and neither added it to their
 * cart nor bought it since the first of those views, and who may be sent marketing: their latest
 * pixel event in the window carried marketing consent and their email marketing state is
 * subscribed. Events sent before sign-in count once the browser is stitched to the customer
 * (pixel_visitor). The win-back triggers build on it (app/services/winback/trigger-sql.ts).
 */

export interface BrowseAbandonmentScope {
  /** Placeholder of the shop id. */
  shopParam: string;
  /** Adds a parameter and returns its placeholder. */
  param: (value: unknown) => string;
  now: Date;
  views: number;
  days: number;
}

export function browseAbandonmentSql(scope: BrowseAbandonmentScope): string {
  const { shopParam: shop, param } = scope;
  const now = `(${param(scope.now.toISOString())}::timestamptz AT TIME ZONE 'UTC')`;
  const from = `${now} - make_interval(days => ${param(scope.days)})`;
  // The window's events credited to a customer: signed in, or the browser stitched later.
  return `WITH shopper_event AS (
            SELECT COALESCE(e.customer_id, v.customer_id) AS customer_id, e.name, e.product_id,
                   e.occurred_at, e.marketing_consent
            FROM pixel_event e
            LEFT JOIN pixel_visitor v ON v.shop_id = e.shop_id AND v.client_id = e.client_id
            WHERE e.shop_id = ${shop} AND e.occurred_at > ${from} AND e.occurred_at <= ${now}),
          viewed AS (
            SELECT customer_id, product_id, min(occurred_at) AS first_viewed_at
            FROM shopper_event
            WHERE name = 'product_viewed' AND customer_id IS NOT NULL AND product_id IS NOT NULL
            GROUP BY customer_id, product_id
            HAVING count(*) >= ${param(scope.views)}),
          consenting AS (
            SELECT DISTINCT ON (customer_id) customer_id, marketing_consent
            FROM shopper_event WHERE customer_id IS NOT NULL
            ORDER BY customer_id, occurred_at DESC)
          SELECT w.customer_id, w.product_id, w.first_viewed_at
          FROM viewed w
          JOIN consenting k ON k.customer_id = w.customer_id AND k.marketing_consent
          JOIN customer c ON c.shop_id = ${shop} AND c.id = w.customer_id
            AND c.email_marketing = 'subscribed'
          WHERE NOT EXISTS (SELECT 1 FROM shopper_event a
                            WHERE a.customer_id = w.customer_id AND a.product_id = w.product_id
                              AND a.name = 'product_added_to_cart'
                              AND a.occurred_at >= w.first_viewed_at)
            AND NOT EXISTS (SELECT 1 FROM "order" o
                            JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
                            WHERE o.shop_id = ${shop} AND o.customer_id = w.customer_id
                              AND l.product_id = w.product_id AND o.cancelled_at IS NULL
                              AND o.processed_at >= w.first_viewed_at)`;
}
