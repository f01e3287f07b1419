/**
 * Sends consent changes made in the app (customer_consent_outbox) to Shopify with
 * customerEmailMarketingConsentUpdate. Per customer only the newest pending change is sent,
 * with the time the customer made it, so Shopify orders it correctly against changes made
 * elsewhere. The mutation is idempotent, so a crash between the call and the bookkeeping only
 * repeats a harmless call. Throttling is waited out by adminGraphqlRequest; a customer Shopify
 * refuses (deleted there, no email address) is logged and skipped.
 */
import { CUSTOMER_EMAIL_MARKETING_CONSENT_UPDATE_MUTATION } from "~/graphql/email-consent";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ShopifyUserError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import {
  adminGraphqlRequest,
  requireNoUserErrors,
  type AdminGraphqlOptions,
  type AdminGraphqlTransport,
  type TransportFor,
} from "~/services/shopify/admin-graphql.server";
import { forEachShopOnShopify, type ShopToVisit } from "~/services/shopify/each-shop.server";

export interface ConsentPushReport {
  pushed: number;
  /** Superseded by a newer consent from Shopify itself (the customer re-subscribed there). */
  skipped: number;
  /** Refused by Shopify (userErrors). */
  failed: number;
}

interface PendingConsent {
  customer_id: string;
  last_id: string;
  email_marketing: string;
  consent_updated_at: string;
  superseded: boolean;
}

type ConsentPayload = { userErrors: Array<{ field?: string[] | null; message: string }> };

const OPERATION = "customerEmailMarketingConsentUpdate";
const SHOPIFY_STATE: Record<string, string> = {
  subscribed: "SUBSCRIBED",
  unsubscribed: "UNSUBSCRIBED",
  pending: "PENDING",
};

/** Pushes up to `limit` customers' pending consent changes for one shop. */
export async function pushConsentUpdates(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  options: AdminGraphqlOptions & { limit?: number } = {},
): Promise<ConsentPushReport> {
  // A later consent that reached us from Shopify (customers/update carries its
  // consent_updated_at) wins over an older click here; an older one does not.
  const { rows } = await sql.query<PendingConsent>(
    `SELECT * FROM (
       SELECT DISTINCT ON (o.customer_id)
              o.customer_id::text, o.id::text AS last_id, o.email_marketing,
              to_char(o.consent_updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS consent_updated_at,
              COALESCE(c.email_marketing = 'redacted'
                       OR (c.email_marketing <> o.email_marketing
                           AND c.email_marketing_updated_at > o.consent_updated_at), false)
                AS superseded
       FROM customer_consent_outbox o
       LEFT JOIN customer c ON c.shop_id = o.shop_id AND c.id = o.customer_id
       WHERE o.shop_id = $1 AND o.pushed_at IS NULL
       ORDER BY o.customer_id, o.id DESC
     ) pending
     ORDER BY last_id::bigint LIMIT $2`,
    [shopId, options.limit ?? 200],
  );
  const report: ConsentPushReport = { pushed: 0, skipped: 0, failed: 0 };
  for (const change of rows) {
    const marketingState = SHOPIFY_STATE[change.email_marketing];
    if (change.superseded || !marketingState) {
      report.skipped += 1;
    } else {
      try {
        const data = await adminGraphqlRequest<Record<string, ConsentPayload | null>>(
          transport,
          CUSTOMER_EMAIL_MARKETING_CONSENT_UPDATE_MUTATION,
          {
            input: {
              customerId: `gid://shopify/Customer/${change.customer_id}`,
              emailMarketingConsent: {
                marketingState,
                consentUpdatedAt: change.consent_updated_at,
              },
            },
          },
          options,
        );
        requireNoUserErrors(OPERATION, data[OPERATION]);
        report.pushed += 1;
      } catch (error) {
        // One customer Shopify refuses must not hold up everyone after them.
        if (!(error instanceof ShopifyUserError)) throw error;
        logger.warn({ shopId, customerId: change.customer_id, err: error }, "consent refused");
        report.failed += 1;
      }
    }
    await sql.query(
      `UPDATE customer_consent_outbox SET pushed_at = now() AT TIME ZONE 'UTC'
       WHERE shop_id = $1 AND customer_id = $2 AND id <= $3 AND pushed_at IS NULL`,
      [shopId, change.customer_id, change.last_id],
    );
  }
  return report;
}

/** The consent job of app/jobs/registry.ts: every shop with consent changes not yet pushed. */
export async function pushPendingConsentUpdates(
  sql: SqlQueryable,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<void> {
  const { rows } = await sql.query<ShopToVisit>(
    `SELECT s.id, s.domain FROM shop s
     WHERE s.state = 'installed'
       AND EXISTS (SELECT 1 FROM customer_consent_outbox o
                   WHERE o.shop_id = s.id AND o.pushed_at IS NULL)`,
  );
  await forEachShopOnShopify(
    rows,
    { transportFor, isRunning, work: "consent updates" },
    (shop, transport) => pushConsentUpdates(sql, shop.id, transport),
  );
}
