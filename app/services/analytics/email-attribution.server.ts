/**
 * Attribution of orders to emails. An order that used a customer's own discount code is
 * credited to the email that carried it (touch `code`), opened or not: the code was made for
 * that email. Any other order goes by last touch: to the email whose open or click was the
 * customer's latest before the order, if that came within the shop's window
 * (shop.email_attribution_days, 1-30, default 5). Run, set-based, on the orders each webhook
 * batch writes; an order written again is credited again (its total may have changed), and
 * one cancelled or made a test loses its credit.
 *
 * Each statement first asks whether the shop has anything to credit or take back (one-time
 * `EXISTS` filters): a shop's backfill writes a million orders before it has sent any email,
 * and without planner statistics on "order" (no autovacuum yet, or none at all on the
 * embedded database) each batch's statement read the whole table so far: 28 ms a batch at
 * the start of a 1M-order backfill, 256 ms at its end.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export async function attributeOrders(
  sql: SqlQueryable,
  shopId: number,
  orderIds: readonly bigint[],
): Promise<void> {
  if (orderIds.length === 0) return;
  const ids = orderIds.map(String);
  await sql.query(
    `DELETE FROM email_attribution a USING "order" o
     WHERE a.shop_id = $1 AND o.shop_id = $1 AND a.order_id = o.id AND o.id = ANY($2::bigint[])
       AND (o.cancelled_at IS NOT NULL OR o.test OR o.customer_id IS NULL)
       AND EXISTS (SELECT 1 FROM email_attribution x WHERE x.shop_id = $1)`,
    [shopId, ids],
  );
  await sql.query(
    `INSERT INTO email_attribution (shop_id, order_id, message_id, touch, touched_at, revenue)
     SELECT o.shop_id, o.id, coalesce(c.message_id, t.message_id), coalesce(c.kind, t.kind),
            coalesce(c.at, t.at), o.total_price
     FROM "order" o
     JOIN shop s ON s.id = o.shop_id
     LEFT JOIN LATERAL (
       SELECT m.id AS message_id, 'code' AS kind, m.sent_at AS at FROM email_message m
       WHERE m.shop_id = o.shop_id AND m.customer_id = o.customer_id AND m.status = 'sent'
         AND m.discount_code IN (SELECT upper(code) FROM unnest(o.discount_codes) AS code)
       ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) c ON true
     LEFT JOIN LATERAL (
       SELECT t.message_id, t.kind, t.at FROM email_touch t
       WHERE t.shop_id = o.shop_id AND t.customer_id = o.customer_id
         AND t.at <= o.created_at
         AND t.at > o.created_at - make_interval(days => s.email_attribution_days)
       ORDER BY t.at DESC, t.id DESC LIMIT 1) t ON c.message_id IS NULL
     WHERE o.shop_id = $1 AND o.id = ANY($2::bigint[]) AND o.customer_id IS NOT NULL
       AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
       AND coalesce(c.message_id, t.message_id) IS NOT NULL
       AND (EXISTS (SELECT 1 FROM email_touch x WHERE x.shop_id = $1)
            OR EXISTS (SELECT 1 FROM email_message x WHERE x.shop_id = $1 AND x.status = 'sent'))
     ON CONFLICT (shop_id, order_id) DO UPDATE
     SET message_id = excluded.message_id, touch = excluded.touch,
         touched_at = excluded.touched_at, revenue = excluded.revenue`,
    [shopId, ids],
  );
}
