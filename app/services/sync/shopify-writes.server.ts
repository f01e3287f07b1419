/**
 * What the app owes Shopify after its own changes: segment tags for changed memberships and
 * consent changes from unsubscribe links (a job in app/jobs/registry.ts). Each shop's failures
 * are logged and retried on the next pass without holding up other shops.
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { pushConsentUpdates } from "~/services/email/consent-push.server";
import { pushSegmentTags } from "~/services/segments/shopify-tags.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";

/** Shops with segment tag changes or consent changes waiting to reach Shopify. */
async function shopsWithPendingWrites(sql: SqlClient) {
  const { rows } = await sql.query<{ id: number; domain: string }>(
    `SELECT s.id, s.domain FROM shop s
     WHERE s.state = 'installed' AND (
       EXISTS (SELECT 1 FROM segment_membership_event e JOIN segment g ON g.id = e.segment_id
               WHERE e.shop_id = s.id AND e.pushed_at IS NULL AND g.shopify_tag IS NOT NULL)
       OR EXISTS (SELECT 1 FROM customer_tag_removal r
                  WHERE r.shop_id = s.id AND r.pushed_at IS NULL)
       OR EXISTS (SELECT 1 FROM customer_consent_outbox o
                  WHERE o.shop_id = s.id AND o.pushed_at IS NULL))`,
  );
  return rows;
}

export async function pushShopifyWrites(
  sql: SqlClient,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<void> {
  for (const shop of await shopsWithPendingWrites(sql)) {
    if (!isRunning()) return;
    try {
      const transport = await transportFor(shop.domain);
      await pushSegmentTags(sql, shop.id, transport);
      await pushConsentUpdates(sql, shop.id, transport);
    } catch (error) {
      logger.warn({ shop: shop.domain, err: error }, "Shopify write-back will resume next pass");
    }
  }
}
