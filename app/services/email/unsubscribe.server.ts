/**
 * What an unsubscribe link does: the customer's email marketing consent becomes
 * `unsubscribed` here at once (so no win-back email goes out after the click), their address
 * joins the shop's suppression list (reason and time kept), and an outbox row records the
 * change for pushConsentUpdates to send to Shopify. All happen in one statement, so a crash
 * cannot leave one without the others.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { verifyUnsubscribeToken } from "./unsubscribe-token.server";

export interface UnsubscribeLink {
  shopDomain: string;
  /** Null when the shop is no longer known to the app (its data was erased). */
  shopId: number | null;
  /** What the page calls the shop: its name, else its domain. */
  shopName: string;
  customerId: bigint;
}

/** The link's shop and customer, or null for a bad or tampered token. */
export async function resolveUnsubscribeLink(
  sql: SqlQueryable,
  token: string | null | undefined,
): Promise<UnsubscribeLink | null> {
  const target = verifyUnsubscribeToken(token);
  if (!target) return null;
  const { rows } = await sql.query<{ id: number; name: string | null }>(
    `SELECT id, name FROM shop WHERE domain = $1`,
    [target.shopDomain],
  );
  const shop = rows[0];
  return {
    shopDomain: target.shopDomain,
    shopId: shop?.id ?? null,
    shopName: shop?.name || target.shopDomain,
    customerId: target.customerId,
  };
}

/**
 * Marks the customer unsubscribed and queues the change for Shopify. Idempotent: a customer
 * who is already unsubscribed (a second click, or Shopify already said so) is left alone, and
 * a redacted customer stays redacted. A customer the app has not synced yet still gets the
 * outbox row, since Shopify is where the consent must end up. Returns whether a change was
 * queued.
 */
export async function unsubscribeCustomer(
  sql: SqlQueryable,
  link: Pick<UnsubscribeLink, "shopId" | "customerId">,
  now: Date,
): Promise<boolean> {
  if (link.shopId === null) return false;
  const { rows } = await sql.query(
    `WITH changed AS (
       UPDATE customer
       SET email_marketing = 'unsubscribed',
           email_marketing_updated_at = $3::timestamptz AT TIME ZONE 'UTC'
       WHERE shop_id = $1 AND id = $2 AND email_marketing NOT IN ('unsubscribed', 'redacted')
       RETURNING id
     ),
     listed AS (
       INSERT INTO email_suppression (shop_id, email, customer_id, reason, created_at)
       SELECT shop_id, lower(email), id, 'unsubscribe', $3::timestamptz AT TIME ZONE 'UTC'
       FROM customer WHERE shop_id = $1 AND id = $2 AND email IS NOT NULL
       ON CONFLICT (shop_id, email) DO NOTHING
     )
     INSERT INTO customer_consent_outbox (shop_id, customer_id, email_marketing, consent_updated_at)
     SELECT $1, $2, 'unsubscribed', $3::timestamptz AT TIME ZONE 'UTC'
     WHERE EXISTS (SELECT 1 FROM changed)
        OR NOT EXISTS (SELECT 1 FROM customer WHERE shop_id = $1 AND id = $2)
     RETURNING id`,
    [link.shopId, link.customerId.toString(), now.toISOString()],
  );
  const queued = rows.length > 0;
  logger.info(
    { shopId: link.shopId, customerId: link.customerId.toString(), queued },
    "customer unsubscribed from email",
  );
  return queued;
}
