/**
 * The one question every marketing email (a flow's email step, a win-back email) asks when it
 * becomes due: send now, wait until a later moment, or skip. In order:
 * - the frequency cap across flows and win-back: a customer who already got `capCount` emails
 *   in `capDays` days is skipped with a reason the merchant reads (a message key), never queued;
 * - quiet hours on the shop's clock: a send inside them waits until they end;
 * - send-time optimisation: the send may wait (at most `maxDelayHours`) for the hour of the week
 *   the customer usually orders in, their history shrunk toward the shop's (hour-of-week.ts).
 * A send that already waited once (`alreadyDeferred`) is not moved for a better hour again,
 * only out of quiet hours.
 *
 * Hour-of-week habits are read from the customer's orders and their clicks and opens of our
 * emails; the customer's own time zone is not known to the app, so slots are on the shop's clock
 * (consistent for the customer, whichever zone they are in).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { message, type Message } from "~/i18n/message";
import { inQuietHours } from "./quiet-hours";
import {
  DEFAULT_SHRINKAGE,
  WEEK_SLOTS,
  chooseSendTime,
  shopProfile,
  shrunkProfile,
} from "./hour-of-week";
import { getSendTiming, type SendTiming } from "./send-timing-settings.server";

export type SendSlot =
  | { kind: "now" }
  | { kind: "defer"; until: Date; why: "quiet_hours" | "best_hour" }
  | { kind: "skip"; reason: Message };

export interface SendSlotRequest {
  shopId: number;
  customerId: bigint;
  timeZone: string;
  now: Date;
  alreadyDeferred: boolean;
  /**
   * The customer's emails since frequencyCapSince, when the caller read them for a batch
   * (recentMarketingEmailsOf); read here otherwise.
   */
  recentEmails?: number;
}

/** Opens this soon after sending are a privacy proxy's fetch, not the customer reading. */
const PREFETCH_WINDOW_MINUTES = 60;
/** The shop's orders the shop profile is read from: its most recent ones. */
const SHOP_PROFILE_ORDERS = 5_000;
/** A shop's profile is read again after this long (per process). */
const SHOP_PROFILE_TTL_MS = 60 * 60_000;
const shopProfiles = new Map<string, { profile: number[]; readAt: number }>();

/** The slot of an order's created_at on the shop's clock, in SQL (Monday 00:00 is 0). */
const SLOT_SQL = (column: string) =>
  `((extract(isodow FROM (${column} AT TIME ZONE 'UTC') AT TIME ZONE $3)::int - 1) * 24
    + extract(hour FROM (${column} AT TIME ZONE 'UTC') AT TIME ZONE $3)::int)`;

async function slotCountsOf(sql: SqlQueryable, text: string, values: unknown[]) {
  const { rows } = await sql.query<{ slot: number; n: number }>(text, values);
  const counts = new Array<number>(WEEK_SLOTS).fill(0);
  for (const row of rows) counts[row.slot] = row.n;
  return counts;
}

async function shopProfileOf(sql: SqlQueryable, shopId: number, timeZone: string, now: Date) {
  const key = `${shopId}:${timeZone}`;
  const cached = shopProfiles.get(key);
  if (cached && now.getTime() - cached.readAt < SHOP_PROFILE_TTL_MS) return cached.profile;
  const counts = await slotCountsOf(
    sql,
    `SELECT ${SLOT_SQL("o.created_at")} AS slot, count(*)::int AS n
     FROM (SELECT created_at FROM "order"
           WHERE shop_id = $1 AND cancelled_at IS NULL
           ORDER BY processed_at DESC LIMIT $2) o
     GROUP BY 1`,
    [shopId, SHOP_PROFILE_ORDERS, timeZone],
  );
  const profile = shopProfile(counts);
  shopProfiles.set(key, { profile, readAt: now.getTime() });
  return profile;
}

async function customerProfile(sql: SqlQueryable, request: SendSlotRequest) {
  const shop = await shopProfileOf(sql, request.shopId, request.timeZone, request.now);
  // An open within the hour after sending is left out: mail privacy proxies (Apple Mail's)
  // fetch the pixel on delivery, so those opens only repeat our own send times.
  const own = await slotCountsOf(
    sql,
    `SELECT ${SLOT_SQL("e.at")} AS slot, count(*)::int AS n
     FROM (SELECT created_at AS at FROM "order"
           WHERE shop_id = $1 AND customer_id = $2 AND cancelled_at IS NULL
           UNION ALL
           SELECT t.at FROM email_touch t
           JOIN email_message m ON m.shop_id = t.shop_id AND m.id = t.message_id
           WHERE t.shop_id = $1 AND t.customer_id = $2
             AND (t.kind = 'click' OR t.at > m.sent_at + interval '${PREFETCH_WINDOW_MINUTES} minutes')) e
     GROUP BY 1`,
    [request.shopId, request.customerId.toString(), request.timeZone],
  );
  return shrunkProfile(own, shop, DEFAULT_SHRINKAGE);
}

/** Marketing emails the customer got (or may have got) from any flow or win-back rule since. */
export async function recentMarketingEmails(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  since: Date,
): Promise<number> {
  const counts = await recentMarketingEmailsOf(sql, shopId, [customerId.toString()], since);
  return counts.get(customerId.toString()) ?? 0;
}

/**
 * recentMarketingEmails of many customers of one shop in one statement (a flow worker's claimed
 * batch), by customer id.
 */
export async function recentMarketingEmailsOf(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly string[],
  since: Date,
): Promise<Map<string, number>> {
  if (customerIds.length === 0) return new Map();
  const { rows } = await sql.query<{ customer_id: string; n: number }>(
    `SELECT c.id::text AS customer_id,
            (SELECT count(*)::int FROM message_flow_step st
             JOIN message_flow_run r ON r.shop_id = st.shop_id AND r.id = st.run_id
             WHERE r.shop_id = $1 AND r.customer_id = c.id AND st.shop_id = $1
               AND st.kind = 'email' AND st.status IN ('done', 'sending', 'uncertain')
               AND coalesce(st.finished_at, st.started_at) > $3::timestamptz AT TIME ZONE 'UTC')
          + (SELECT count(*)::int FROM winback_action a
             WHERE a.shop_id = $1 AND a.customer_id = c.id AND a.kind = 'email'
               AND a.status IN ('done', 'sending', 'uncertain')
               AND a.updated_at > $3::timestamptz AT TIME ZONE 'UTC') AS n
     FROM unnest($2::bigint[]) AS c(id)`,
    [shopId, customerIds, since.toISOString()],
  );
  return new Map(rows.map((row) => [row.customer_id, row.n]));
}

/** Where the frequency cap's count starts: `capDays` before `now`. */
export const frequencyCapSince = (timing: SendTiming, now: Date): Date =>
  new Date(now.getTime() - timing.capDays * 86_400_000);

async function overCap(sql: SqlQueryable, request: SendSlotRequest, timing: SendTiming) {
  const sent =
    request.recentEmails ??
    (await recentMarketingEmails(
      sql,
      request.shopId,
      request.customerId,
      frequencyCapSince(timing, request.now),
    ));
  return sent >= timing.capCount;
}

export async function resolveSendSlot(
  sql: SqlQueryable,
  request: SendSlotRequest,
): Promise<SendSlot> {
  const timing = await getSendTiming(sql, request.shopId);
  if (await overCap(sql, request, timing)) {
    return {
      kind: "skip",
      reason: message("sendTiming.skip.frequencyCap", {
        count: timing.capCount,
        days: timing.capDays,
      }),
    };
  }
  const quiet = { start: timing.quietStart, end: timing.quietEnd };
  const optimize = timing.optimizeSendTime && !request.alreadyDeferred;
  const until = chooseSendTime({
    now: request.now,
    timeZone: request.timeZone,
    profile: optimize ? await customerProfile(sql, request) : null,
    quiet,
    maxDelayHours: optimize ? timing.maxDelayHours : 0,
  });
  if (until.getTime() <= request.now.getTime()) return { kind: "now" };
  const why = inQuietHours(request.now, request.timeZone, quiet) ? "quiet_hours" : "best_hour";
  return { kind: "defer", until, why };
}
