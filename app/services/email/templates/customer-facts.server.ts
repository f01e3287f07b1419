/**
 * What a branded email needs to know about one customer: their first name and language (the
 * locale Shopify stores for them), their last order's items with the products' images, and the
 * shop's currency and time zone. One query, for one customer or a flow worker's whole batch.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { NotFoundError } from "~/lib/errors";
import type { EmailOrderLine } from "./email-view";

export interface CustomerFacts {
  shopDomain: string;
  email: string | null;
  firstName: string;
  locale: string | null;
  /** Email marketing consent as Shopify reports it (`subscribed`, …). */
  consent: string;
  currency: string;
  timeZone: string;
  lastOrder: { name: string; lines: EmailOrderLine[] } | null;
}

/** Items of the last order shown at most; the rest are in the customer's account. */
const LAST_ORDER_LINES = 5;

/** @throws NotFoundError when the shop has no such customer (or it was deleted or redacted). */
export async function loadCustomerFacts(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
): Promise<CustomerFacts> {
  const facts = (await loadCustomersFacts(sql, shopId, [customerId])).get(customerId.toString());
  if (!facts) throw new NotFoundError(`Customer ${customerId} is not in shop ${shopId}`);
  return facts;
}

/** The facts of the shop's customers `customerIds` that exist, by customer id. */
export async function loadCustomersFacts(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
): Promise<Map<string, CustomerFacts>> {
  const { rows } = await sql.query<{
    customer_id: string;
    shop_domain: string;
    email: string | null;
    first_name: string | null;
    locale: string | null;
    consent: string;
    currency: string;
    time_zone: string;
    order_name: string | null;
    lines: EmailOrderLine[] | string | null;
  }>(
    `SELECT c.id::text AS customer_id, s.domain AS shop_domain, c.email, c.first_name, c.locale,
            c.email_marketing AS consent, s.currency,
            s.iana_timezone AS time_zone, o.name AS order_name, o.lines
     FROM customer c JOIN shop s ON s.id = c.shop_id
     LEFT JOIN LATERAL (
       SELECT lo.name, (
         SELECT json_agg(json_build_object('title', l.title, 'quantity', l.quantity,
                  'imageUrl', p.image_url) ORDER BY l.id)
         FROM (SELECT * FROM order_line
               WHERE order_line.shop_id = lo.shop_id AND order_line.order_id = lo.id
                 AND NOT order_line.gift_card
               ORDER BY id LIMIT ${LAST_ORDER_LINES}) l
         LEFT JOIN product p ON p.shop_id = l.shop_id AND p.id = l.product_id
       ) AS lines
       FROM "order" lo
       WHERE lo.shop_id = c.shop_id AND lo.customer_id = c.id
         AND lo.cancelled_at IS NULL AND lo.deleted_at IS NULL AND NOT lo.test
       ORDER BY lo.processed_at DESC LIMIT 1
     ) o ON true
     WHERE c.shop_id = $1 AND c.id = ANY($2::bigint[])
       AND c.deleted_at IS NULL AND c.redacted_at IS NULL`,
    [shopId, customerIds.map(String)],
  );
  return new Map(
    rows.map((row) => {
      const lines =
        typeof row.lines === "string" ? (JSON.parse(row.lines) as EmailOrderLine[]) : row.lines;
      const facts: CustomerFacts = {
        shopDomain: row.shop_domain,
        email: row.email,
        firstName: row.first_name ?? "",
        locale: row.locale,
        consent: row.consent,
        currency: row.currency,
        timeZone: row.time_zone,
        lastOrder: row.order_name && lines?.length ? { name: row.order_name, lines } : null,
      };
      return [row.customer_id, facts];
    }),
  );
}
