/**
 * The merchant's view of dead letters: the shop's updates that could not be applied, what
 * each was about, when it came and why, in plain words. Retrying them lives with the queue
 * (retryDeadEvents).
 */
import type { Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface DeadLetter {
  id: string;
  /** Shopify's webhook topic, which the page names ("orders/updated" → "Order changed"). */
  topic: string;
  receivedAt: string;
  /**
   * Why it was set aside, as a deadReasons.* key and its values; null for deliveries refused
   * when they arrived and rows whose old English reason matched no key (the page then says it
   * could not be read or applied).
   */
  reason: Message | null;
}

export async function countDeadLetters(sql: SqlQueryable, shopDomain: string): Promise<number> {
  const { rows } = await sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM webhook_inbox WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1 AND status = 'dead'`,
    [shopDomain],
  );
  return rows[0]?.count ?? 0;
}

/** The newest dead letters first, at most `limit`. */
export async function listDeadLetters(
  sql: SqlQueryable,
  shopDomain: string,
  limit = 100,
): Promise<DeadLetter[]> {
  const { rows } = await sql.query<{
    id: string;
    topic: string;
    received_at: Date;
    dead_reason: Message | null;
  }>(
    `SELECT id::text, topic, received_at, dead_reason FROM webhook_inbox
     WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1 AND status = 'dead' ORDER BY id DESC LIMIT $2`,
    [shopDomain, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    topic: row.topic,
    receivedAt: new Date(row.received_at).toISOString(),
    reason: row.dead_reason,
  }));
}
