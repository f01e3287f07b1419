/**
 * A shop's suppression list (table email_suppression): addresses its emails must never go to
 * again. A mail server refusing an address for good (a hard bounce) adds it from sendEmail, an
 * unsubscribe link adds it with the consent change, and the merchant adds spam complaints their
 * provider reports. Win-back rules and flows look an address up before every email and skip it.
 *
 * An address is listed once, under the first reason that listed it; the merchant can remove an
 * entry (a mailbox that works again), after which it can be listed again.
 */
import { z } from "zod";
import { message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";

export const SUPPRESSION_REASONS = ["hard_bounce", "complaint", "unsubscribe"] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface SuppressionEntry {
  email: string;
  reason: SuppressionReason;
  detail: string;
  customerId: string | null;
  createdAt: string;
}

const address = z.string().trim().toLowerCase().max(254).email();
const reasonSchema = z.enum(SUPPRESSION_REASONS);

/** The address as the list keys it, or an InvalidInputError. */
function listedAddress(email: string): string {
  const parsed = address.safeParse(email);
  if (!parsed.success)
    throw new InvalidInputError(`Not an email address: ${JSON.stringify(email)}`);
  return parsed.data;
}

/**
 * Lists `email` for the shop. Returns false when it already was (the first reason stays).
 * Throws InvalidInputError for a malformed address or an unknown reason.
 */
export async function suppressAddress(
  sql: SqlQueryable,
  shopId: number,
  entry: { email: string; reason: SuppressionReason; customerId?: bigint | null; detail?: string },
  now: Date = new Date(),
): Promise<boolean> {
  const email = listedAddress(entry.email);
  const reason = reasonSchema.safeParse(entry.reason);
  if (!reason.success) throw new InvalidInputError(`Unknown suppression reason ${entry.reason}`);
  const { rows } = await sql.query(
    `INSERT INTO email_suppression (shop_id, email, customer_id, reason, detail, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC')
     ON CONFLICT (shop_id, email) DO NOTHING RETURNING 1`,
    [
      shopId,
      email,
      entry.customerId?.toString() ?? null,
      reason.data,
      (entry.detail ?? "").slice(0, 500),
      now.toISOString(),
    ],
  );
  const added = rows.length > 0;
  if (added) logger.info({ shopId, reason: reason.data }, "address suppressed");
  return added;
}

/**
 * Why the shop must not email `email`, or null when it may. An unsubscribe is overruled by a
 * later subscription the customer gave in Shopify (synced into their consent), as Shopify
 * holds the customer's latest word; bounces and complaints only end when the merchant removes
 * them.
 */
export async function suppressionReason(
  sql: SqlQueryable,
  shopId: number,
  email: string,
): Promise<SuppressionReason | null> {
  return (await suppressionReasons(sql, shopId, [email])).get(email.trim().toLowerCase()) ?? null;
}

/**
 * suppressionReason for many addresses in one statement (a flow worker's claimed batch): the
 * listed ones by their lower-cased, trimmed address.
 */
export async function suppressionReasons(
  sql: SqlQueryable,
  shopId: number,
  emails: readonly string[],
): Promise<Map<string, SuppressionReason>> {
  const { rows } = await sql.query<{ email: string; reason: SuppressionReason }>(
    `SELECT s.email, s.reason FROM email_suppression s
     WHERE s.shop_id = $1 AND s.email = ANY($2::text[])
       AND NOT (s.reason = 'unsubscribe' AND EXISTS (
         SELECT 1 FROM customer c
         WHERE c.shop_id = s.shop_id AND c.id = s.customer_id
           AND c.email_marketing = 'subscribed' AND c.email_marketing_updated_at > s.created_at))`,
    [shopId, emails.map((email) => email.trim().toLowerCase())],
  );
  return new Map(rows.map((row) => [row.email, row.reason]));
}

const SUPPRESSED_REASON_KEYS: Record<SuppressionReason, string> = {
  hard_bounce: "actionReasons.suppressedBounce",
  complaint: "actionReasons.suppressedComplaint",
  unsubscribe: "actionReasons.suppressedUnsubscribe",
};

/** What a skipped email's record says about a listed address (win-back and flows alike). */
export const suppressedSkip = (reason: SuppressionReason) => ({
  reason: message(SUPPRESSED_REASON_KEYS[reason]),
  suppressed: reason,
});

export interface SuppressionPage {
  entries: SuppressionEntry[];
  total: number;
  counts: Record<SuppressionReason, number>;
}

/** The newest entries first; `search` narrows to addresses containing it. */
export async function listSuppressions(
  sql: SqlQueryable,
  shopId: number,
  options: { search?: string; limit?: number; offset?: number } = {},
): Promise<SuppressionPage> {
  const search = (options.search ?? "").trim().toLowerCase();
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql.query<{
    email: string;
    reason: SuppressionReason;
    detail: string;
    customer_id: string | null;
    created_at: string;
  }>(
    `SELECT email, reason, detail, customer_id::text,
            to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at
     FROM email_suppression WHERE shop_id = $1 AND email LIKE $2
     ORDER BY created_at DESC, email LIMIT $3 OFFSET $4`,
    [shopId, pattern, options.limit ?? 50, options.offset ?? 0],
  );
  const { rows: counted } = await sql.query<{ reason: SuppressionReason; n: number }>(
    `SELECT reason, count(*)::int AS n FROM email_suppression
     WHERE shop_id = $1 AND email LIKE $2 GROUP BY reason`,
    [shopId, pattern],
  );
  const counts = Object.fromEntries(SUPPRESSION_REASONS.map((reason) => [reason, 0])) as Record<
    SuppressionReason,
    number
  >;
  for (const row of counted) counts[row.reason] = row.n;
  return {
    entries: rows.map((row) => ({
      email: row.email,
      reason: row.reason,
      detail: row.detail,
      customerId: row.customer_id,
      createdAt: row.created_at,
    })),
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    counts,
  };
}

/** Takes `email` off the shop's list; false when it was not on it. */
export async function removeSuppression(
  sql: SqlQueryable,
  shopId: number,
  email: string,
): Promise<boolean> {
  const { rows } = await sql.query(
    `DELETE FROM email_suppression WHERE shop_id = $1 AND email = $2 RETURNING 1`,
    [shopId, listedAddress(email)],
  );
  if (rows.length > 0) logger.info({ shopId }, "suppression removed");
  return rows.length > 0;
}
