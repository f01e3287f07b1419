/**
 * Mirrors segment membership into Shopify as a customer tag, so Flow, Shopify Email and other
 * apps can use our segments. Driven by the membership events: for every customer whose
 * membership changed since the last push, the tag is added or removed to match the membership
 * *now* (not the event), so replays, reordering and several changes in a row all settle on the
 * right state. tagsAdd / tagsRemove are idempotent, so a crash between the call and the
 * bookkeeping only repeats harmless calls. Throttling is waited out by adminGraphqlRequest.
 */
import { TAGS_ADD_MUTATION, TAGS_REMOVE_MUTATION } from "~/graphql/win-back";
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

const TAG_MAX = 40;

/** `rekindle-` and the segment name as a tag: lower case, letters and digits, dashes between. */
export function segmentTag(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `rekindle-${slug || "segment"}`.slice(0, TAG_MAX).replace(/-+$/, "");
}

interface PendingChange {
  segment_id: string;
  customer_id: string;
  tag: string;
  member: boolean;
  last_event_id: string;
}

type TagPayload = { userErrors: Array<{ field?: string[] | null; message: string }> };

export interface PushReport {
  added: number;
  removed: number;
  failed: number;
}

/** Pushes up to `limit` pending customer/segment changes of one shop; returns what it did. */
export async function pushSegmentTags(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  options: AdminGraphqlOptions & { limit?: number } = {},
): Promise<PushReport> {
  const { rows } = await sql.query<PendingChange>(
    `SELECT e.segment_id::text, e.customer_id::text, s.shopify_tag AS tag,
            EXISTS (SELECT 1 FROM segment_membership m
                    WHERE m.shop_id = $1 AND m.segment_id = e.segment_id
                      AND m.customer_id = e.customer_id) AS member,
            max(e.id)::text AS last_event_id
     FROM segment_membership_event e JOIN segment s ON s.shop_id = e.shop_id AND s.id = e.segment_id
     WHERE e.shop_id = $1 AND e.pushed_at IS NULL AND s.shopify_tag IS NOT NULL
     GROUP BY e.segment_id, e.customer_id, s.shopify_tag
     ORDER BY min(e.id) LIMIT $2`,
    [shopId, options.limit ?? 200],
  );
  const report: PushReport = { added: 0, removed: 0, failed: 0 };
  for (const change of rows) {
    const operation = change.member ? "tagsAdd" : "tagsRemove";
    try {
      const data = await adminGraphqlRequest<Record<string, TagPayload | null>>(
        transport,
        change.member ? TAGS_ADD_MUTATION : TAGS_REMOVE_MUTATION,
        { id: `gid://shopify/Customer/${change.customer_id}`, tags: [change.tag] },
        options,
      );
      requireNoUserErrors(operation, data[operation]);
      report[change.member ? "added" : "removed"] += 1;
    } catch (error) {
      // A customer Shopify refuses (deleted there, say) must not hold up everyone after them.
      if (!(error instanceof ShopifyUserError)) throw error;
      logger.warn({ shopId, customerId: change.customer_id, err: error }, "segment tag refused");
      report.failed += 1;
    }
    await sql.query(
      `UPDATE segment_membership_event SET pushed_at = now() AT TIME ZONE 'UTC'
       WHERE shop_id = $4 AND segment_id = $1 AND customer_id = $2 AND id <= $3
         AND pushed_at IS NULL`,
      [change.segment_id, change.customer_id, change.last_event_id, shopId],
    );
  }
  report.removed += await pushTagRemovals(sql, shopId, transport, options);
  return report;
}

/** Removes tags of deleted or retagged segments (customer_tag_removal) from customers. */
async function pushTagRemovals(
  sql: SqlQueryable,
  shopId: number,
  transport: AdminGraphqlTransport,
  options: AdminGraphqlOptions & { limit?: number },
): Promise<number> {
  const { rows } = await sql.query<{ id: string; customer_id: string; tag: string }>(
    `SELECT id::text, customer_id::text, tag FROM customer_tag_removal
     WHERE shop_id = $1 AND pushed_at IS NULL ORDER BY id LIMIT $2`,
    [shopId, options.limit ?? 200],
  );
  for (const removal of rows) {
    try {
      const data = await adminGraphqlRequest<Record<string, TagPayload | null>>(
        transport,
        TAGS_REMOVE_MUTATION,
        { id: `gid://shopify/Customer/${removal.customer_id}`, tags: [removal.tag] },
        options,
      );
      requireNoUserErrors("tagsRemove", data.tagsRemove);
    } catch (error) {
      if (!(error instanceof ShopifyUserError)) throw error;
      logger.warn({ shopId, customerId: removal.customer_id, err: error }, "tag removal refused");
    }
    await sql.query(
      `UPDATE customer_tag_removal SET pushed_at = now() AT TIME ZONE 'UTC'
       WHERE shop_id = $2 AND id = $1`,
      [removal.id, shopId],
    );
  }
  return rows.length;
}

/** The segment-tags job of app/jobs/registry.ts: every shop with tag changes not yet pushed. */
export async function pushPendingSegmentTags(
  sql: SqlQueryable,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<void> {
  const { rows } = await sql.query<ShopToVisit>(
    `SELECT s.id, s.domain FROM shop s
     WHERE s.state = 'installed' AND (
       EXISTS (SELECT 1 FROM segment_membership_event e JOIN segment g ON g.shop_id = e.shop_id AND g.id = e.segment_id
               WHERE e.shop_id = s.id AND e.pushed_at IS NULL AND g.shopify_tag IS NOT NULL)
       OR EXISTS (SELECT 1 FROM customer_tag_removal r
                  WHERE r.shop_id = s.id AND r.pushed_at IS NULL))`,
  );
  await forEachShopOnShopify(
    rows,
    { transportFor, isRunning, work: "segment tags" },
    (shop, transport) => pushSegmentTags(sql, shop.id, transport),
  );
}
