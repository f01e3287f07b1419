import type { SqlQueryable } from "~/lib/database-adapter.server";
import { recordAuditEvent } from "./audit.server";

export interface CustomerRedaction {
  shopDomain: string;
  customerId: bigint;
  /** Orders Shopify lists in the request; the customer's other orders are redacted too. */
  orderIds: readonly bigint[];
}

/**
 * customers/redact: erase the customer's personal data wherever it is stored. Orders and
 * line items stay (without personal data) because the merchant's revenue figures need them.
 */
export async function redactCustomer(sql: SqlQueryable, request: CustomerRedaction): Promise<void> {
  const { rows } = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    request.shopDomain,
  ]);
  const shopId = rows[0]?.id;
  if (shopId === undefined) {
    await recordAuditEvent(sql, request.shopDomain, "customer_redacted", { customersRedacted: 0 });
    return;
  }
  const customerId = request.customerId.toString();
  const orderIds = request.orderIds.map(String);
  const customers = await sql.query(
    `UPDATE customer SET email = NULL, first_name = NULL, last_name = NULL, phone = NULL, locale = NULL,
        city = NULL, province = NULL, country_code = NULL, tags = '{}', redacted_at = now(),
        email_marketing = 'redacted', sms_marketing = 'redacted'
     WHERE shop_id = $1 AND id = $2 RETURNING 1`,
    [shopId, customerId],
  );
  const orders = await sql.query(
    `UPDATE "order" SET email = NULL, redacted_at = now()
     WHERE shop_id = $1 AND (customer_id = $2 OR id = ANY($3::bigint[])) RETURNING 1`,
    [shopId, customerId, orderIds],
  );
  const checkouts = await sql.query(
    `UPDATE checkout SET email = NULL, recovery_url = NULL, redacted_at = now()
     WHERE shop_id = $1 AND customer_id = $2 RETURNING 1`,
    [shopId, customerId],
  );
  await sql.query(`DELETE FROM data_export WHERE shop_id = $1 AND customer_id = $2`, [
    shopId,
    customerId,
  ]);
  // Their discount offers and the link from storefront clicks to them go; the counts stay.
  await sql.query(`DELETE FROM customer_offer WHERE shop_id = $1 AND customer_id = $2`, [
    shopId,
    customerId,
  ]);
  await sql.query(
    `UPDATE recommendation_event SET customer_id = NULL WHERE shop_id = $1 AND customer_id = $2`,
    [shopId, customerId],
  );
  const deliveries = await scrubInboxPayloads(sql, request.shopDomain, customerId, orderIds);
  await recordAuditEvent(sql, request.shopDomain, "customer_redacted", {
    customersRedacted: customers.rows.length,
    ordersRedacted: orders.rows.length,
    checkoutsRedacted: checkouts.rows.length,
    deliveriesScrubbed: deliveries,
  });
}

/**
 * Applied webhook deliveries keep their raw bodies; those that carry this customer (their
 * record, their orders and refunds, their checkouts, and the compliance requests naming
 * them) are replaced by a marker. Pending deliveries are left to apply first.
 */
async function scrubInboxPayloads(
  sql: SqlQueryable,
  shopDomain: string,
  customerId: string,
  orderIds: readonly string[],
): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE webhook_inbox SET payload = '{"redacted":true}'
     WHERE shop_domain = $1 AND status = 'done' AND payload <> '{"redacted":true}' AND (
        (topic LIKE 'customers/%' AND (payload::jsonb->>'id' = $2 OR payload::jsonb->'customer'->>'id' = $2))
        OR ((topic LIKE 'orders/%' OR topic LIKE 'checkouts/%')
            AND (payload::jsonb->'customer'->>'id' = $2 OR payload::jsonb->>'id' = ANY($3::text[])))
        OR (topic = 'refunds/create' AND payload::jsonb->>'order_id' = ANY($3::text[]))
        OR (topic = 'refunds/create' AND (payload::jsonb->>'order_id')::bigint IN
              (SELECT o.id FROM "order" o JOIN shop s ON s.id = o.shop_id
               WHERE s.domain = $1 AND o.customer_id = $2::bigint)))
     RETURNING 1`,
    [shopDomain, customerId, orderIds],
  );
  return rows.length;
}
