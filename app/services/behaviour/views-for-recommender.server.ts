/**
 * Product views as the recommender reads them (web pixel events, analytics consent given when
 * they were stored):
 *  - one shopper's recent views, each view with its time, for a storefront request. A signed-in
 *    customer's own views (any browser stitched to them) and this browser's anonymous ones; a
 *    guest's only the anonymous views of their browser, so a shared computer never carries a
 *    signed-out customer's history into what a guest is shown;
 *  - every customer's views over a period, for the nightly training, credited through stitching.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

/** Who is asking: the signed customer, the web pixel's client id of this browser, or both. */
export interface Shopper {
  customerId: bigint | null;
  clientId: string | null;
}

export interface ProductView {
  productId: string;
  at: Date;
}

export interface CustomerProductView extends ProductView {
  customerId: string;
}

const DAY_MS = 86_400_000;
const ISO_AT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The shopper's product views in the last `days` days before `now`, newest first. */
export async function loadShopperViews(
  sql: SqlQueryable,
  shopId: number,
  shopper: Shopper,
  options: { now: Date; days: number; limit: number },
): Promise<ProductView[]> {
  return (await loadShoppersViews(sql, shopId, [shopper], options))[0] ?? [];
}

/**
 * loadShopperViews of many shoppers of one shop in one statement (a flow worker's batch of
 * customers), in the order of `shoppers`.
 */
export async function loadShoppersViews(
  sql: SqlQueryable,
  shopId: number,
  shoppers: readonly Shopper[],
  options: { now: Date; days: number; limit: number },
): Promise<ProductView[][]> {
  const asked = shoppers.flatMap((shopper, index) =>
    shopper.customerId === null && shopper.clientId === null ? [] : [{ shopper, index }],
  );
  const views = shoppers.map((): ProductView[] => []);
  if (asked.length === 0) return views;
  const since = new Date(options.now.getTime() - options.days * DAY_MS).toISOString();
  const window = `e.occurred_at >= ($5::timestamptz AT TIME ZONE 'UTC')
                  AND e.occurred_at < ($6::timestamptz AT TIME ZONE 'UTC')
                  AND e.name = 'product_viewed' AND e.product_id IS NOT NULL`;
  // Three index-friendly branches rather than one OR: the customer's own rows, rows of browsers
  // stitched to them, and this browser's anonymous rows.
  const { rows } = await sql.query<{ shopper: number; product_id: string; at: string }>(
    `SELECT a.shopper, v.product_id::text AS product_id, to_char(v.occurred_at, ${ISO_AT}) AS at
     FROM unnest($2::int[], $3::bigint[], $4::text[]) AS a(shopper, customer_id, client_id)
     CROSS JOIN LATERAL (
       SELECT w.product_id, w.occurred_at
       FROM (SELECT e.product_id, e.occurred_at FROM pixel_event e
             WHERE e.shop_id = $1 AND e.customer_id = a.customer_id AND ${window}
             UNION ALL
             SELECT e.product_id, e.occurred_at FROM pixel_visitor s
             JOIN pixel_event e ON e.shop_id = s.shop_id AND e.client_id = s.client_id
             WHERE s.shop_id = $1 AND s.customer_id = a.customer_id AND e.customer_id IS NULL
               AND ${window}
             UNION ALL
             SELECT e.product_id, e.occurred_at FROM pixel_event e
             WHERE e.shop_id = $1 AND e.client_id = a.client_id AND e.customer_id IS NULL
               AND ${window}
            ) w
       ORDER BY w.occurred_at DESC LIMIT $7
     ) v
     ORDER BY a.shopper, v.occurred_at DESC`,
    [
      shopId,
      asked.map(({ index }) => index),
      asked.map(({ shopper }) => shopper.customerId?.toString() ?? null),
      asked.map(({ shopper }) => shopper.clientId),
      since,
      options.now.toISOString(),
      options.limit,
    ],
  );
  for (const row of rows)
    views[row.shopper]?.push({ productId: row.product_id, at: new Date(row.at) });
  return views;
}

/**
 * Every customer's product views since `since`, the newest `perCustomer` of each: what training
 * needs to pair views with the orders that followed them, bounded for a shop with heavy browsers.
 */
export async function loadCustomerViews(
  sql: SqlQueryable,
  shopId: number,
  options: { since: Date; perCustomer: number },
): Promise<CustomerProductView[]> {
  const { rows } = await sql.query<{ customer_id: string; product_id: string; at: string }>(
    `SELECT customer_id::text, product_id::text, to_char(occurred_at, ${ISO_AT}) AS at
     FROM (SELECT w.*, row_number() OVER (PARTITION BY w.customer_id
                                         ORDER BY w.occurred_at DESC) AS newest
           FROM (SELECT COALESCE(e.customer_id, s.customer_id) AS customer_id, e.product_id,
                        e.occurred_at
                 FROM pixel_event e
                 LEFT JOIN pixel_visitor s ON s.shop_id = e.shop_id AND s.client_id = e.client_id
                 WHERE e.shop_id = $1 AND e.name = 'product_viewed' AND e.product_id IS NOT NULL
                   AND e.occurred_at >= ($2::timestamptz AT TIME ZONE 'UTC')) w
           WHERE w.customer_id IS NOT NULL) ranked
     WHERE newest <= $3`,
    [shopId, options.since.toISOString(), options.perCustomer],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    productId: row.product_id,
    at: new Date(row.at),
  }));
}
