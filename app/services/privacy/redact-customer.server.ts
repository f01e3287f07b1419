import type { SqlQueryable } from "~/lib/database-adapter.server";
import { recordAuditEvent } from "./audit.server";
import { CUSTOMER_REDACTIONS, redactionStatement } from "./customer-pii";
import { redactInboxDeliveries } from "./redact-inbox.server";

export interface CustomerRedaction {
  shopDomain: string;
  customerId: bigint;
  /** Orders Shopify lists in the request; the customer's other orders are redacted too. */
  orderIds: readonly bigint[];
  /** The address Shopify names in the request, if any (finds guest orders and checkouts). */
  email?: string | null;
}

/**
 * customers/redact: erase the customer's personal data wherever it is stored: every column
 * the schema marks personal (customer-pii.ts), and the webhook inbox in every status. Orders
 * and line items stay (without personal data) because the merchant's revenue figures need them.
 * Idempotent: a redelivery finds nothing left to erase.
 */
export async function redactCustomer(sql: SqlQueryable, request: CustomerRedaction): Promise<void> {
  const { rows } = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    request.shopDomain,
  ]);
  const shopId = rows[0]?.id;
  const customerId = request.customerId.toString();
  const known = await knownIdentity(sql, shopId, customerId);
  const orderIds = [...new Set([...request.orderIds.map(String), ...known.orderIds])];
  const email = (known.email ?? request.email ?? null)?.toLowerCase() ?? null;
  const counts: Record<string, number> = {};
  if (shopId !== undefined) {
    for (const redaction of CUSTOMER_REDACTIONS) {
      const result = await sql.query(redactionStatement(redaction), [
        shopId,
        customerId,
        orderIds,
        email,
      ]);
      counts[redaction.table] = result.rows.length;
    }
  }
  // Deliveries are kept by domain: they may have arrived before (or without) the shop row.
  counts.webhook_inbox = await redactInboxDeliveries(sql, {
    shopDomain: request.shopDomain,
    customerId,
    orderIds,
    email,
  });
  await recordAuditEvent(sql, request.shopDomain, "customer_redacted", counts);
}

/** The customer's address on file and their orders, read before they are erased. */
async function knownIdentity(sql: SqlQueryable, shopId: number | undefined, customerId: string) {
  if (shopId === undefined) return { email: null, orderIds: [] };
  const { rows } = await sql.query<{ email: string | null; order_ids: string[] }>(
    `SELECT (SELECT email FROM customer WHERE shop_id = $1 AND id = $2) AS email,
            ARRAY(SELECT id::text FROM "order" WHERE shop_id = $1 AND customer_id = $2) AS order_ids`,
    [shopId, customerId],
  );
  return { email: rows[0]?.email ?? null, orderIds: rows[0]?.order_ids ?? [] };
}
