import type { SqlQueryable } from "~/lib/database-adapter.server";

const OFFER_DAYS = 14;

/**
 * Demo data for the storefront's win-back banner until rules write real offers: up to three
 * repeat customers who have gone quiet get a sample offer (once; a second run keeps them).
 * Returns the customers who have one.
 */
export async function seedDemoOffers(sql: SqlQueryable): Promise<string[]> {
  await sql.query(
    `INSERT INTO customer_offer (shop_id, customer_id, code, title, discount_text, expires_at)
     SELECT m.shop_id, m.customer_id, 'COMEBACK-' || m.customer_id, 'We miss you',
            '15% off your next order', (now() AT TIME ZONE 'UTC') + make_interval(days => $1)
     FROM customer_metrics m
     WHERE m.lifecycle_stage IN ('at_risk', 'lapsing') AND m.orders_count >= 2
       AND NOT EXISTS (SELECT 1 FROM customer_offer)
     ORDER BY m.net_revenue DESC, m.customer_id LIMIT 3`,
    [OFFER_DAYS],
  );
  const { rows } = await sql.query<{ customer_id: string }>(
    `SELECT customer_id::text FROM customer_offer ORDER BY id`,
  );
  return rows.map((row) => row.customer_id);
}
