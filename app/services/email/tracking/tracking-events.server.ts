/**
 * Opens and clicks of tracked emails, recorded against their message row. Opens are counted
 * as they come (the admin calls them unreliable: privacy proxies such as Apple Mail's load
 * every image, and blocked images hide real opens). Clicks by bots, and clicks within a couple
 * of seconds of sending (a mail server's link scanner, not a person), are not recorded.
 */
import { isbot } from "isbot";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { TrackedClick, TrackedMessage } from "./tracking-links.server";

/** A click this soon after the send is a scanner's. */
export const SCANNER_CLICK_MS = 2_000;

type Touch = "open" | "click";

async function recordTouch(
  sql: SqlQueryable,
  message: Pick<TrackedMessage, "shopId" | "messageId">,
  kind: Touch,
  url: string | null,
  now: Date,
  earliestSentAt: Date,
): Promise<boolean> {
  const counter = kind === "open" ? "opens = opens + 1" : "clicks = clicks + 1";
  const first = kind === "open" ? "first_open_at" : "first_click_at";
  const { rows } = await sql.query(
    `WITH touched AS (
       UPDATE email_message
       SET ${counter}, ${first} = coalesce(${first}, $3::timestamptz AT TIME ZONE 'UTC')
       WHERE shop_id = $1 AND id = $2 AND status <> 'failed'
         AND coalesce(sent_at, created_at) <= $4::timestamptz AT TIME ZONE 'UTC'
       RETURNING customer_id)
     INSERT INTO email_touch (shop_id, message_id, customer_id, kind, url, at)
     SELECT $1, $2, customer_id, $5, $6, $3::timestamptz AT TIME ZONE 'UTC' FROM touched
     RETURNING 1`,
    [
      message.shopId,
      message.messageId.toString(),
      now.toISOString(),
      earliestSentAt.toISOString(),
      kind,
      url,
    ],
  );
  return rows.length > 0;
}

export function recordOpen(
  sql: SqlQueryable,
  message: Pick<TrackedMessage, "shopId" | "messageId">,
  now: Date,
): Promise<boolean> {
  return recordTouch(sql, message, "open", null, now, now);
}

/** Records a person's click; false when it was a bot's or a scanner's (or the email is gone). */
export async function recordClick(
  sql: SqlQueryable,
  click: TrackedClick,
  userAgent: string | null,
  now: Date,
): Promise<boolean> {
  if (isbot(userAgent)) return false;
  return recordTouch(
    sql,
    click,
    "click",
    click.url,
    now,
    new Date(now.getTime() - SCANNER_CLICK_MS),
  );
}
