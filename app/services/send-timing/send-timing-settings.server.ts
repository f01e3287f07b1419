/**
 * A shop's send-timing settings: quiet hours, the frequency cap across flows and win-back, and
 * send-time optimisation. A shop that never saved them gets the defaults below.
 */
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { cachePerDatabase } from "~/lib/response-cache";

/** A whole number from `min` to `max`, refused with the message key `sendTiming.errors.<key>`. */
const wholeNumber = (min: number, max: number, key: string) => {
  const refusal = { message: `sendTiming.errors.${key}` };
  return z.coerce.number(refusal).int(refusal).min(min, refusal).max(max, refusal);
};

export const sendTimingSchema = z.strictObject({
  /** Quiet hours [start, end) on the shop's clock, e.g. 21 → 8; equal means none. */
  quietStart: wholeNumber(0, 23, "hour"),
  quietEnd: wholeNumber(0, 23, "hour"),
  /** At most `capCount` marketing emails per customer in `capDays` days. */
  capCount: wholeNumber(1, 20, "capCount"),
  capDays: wholeNumber(1, 30, "capDays"),
  /** Each email waits (at most `maxDelayHours`) for the hour the customer usually buys in. */
  optimizeSendTime: z.boolean(),
  maxDelayHours: wholeNumber(1, 72, "maxDelayHours"),
});

export type SendTiming = z.infer<typeof sendTimingSchema>;

export const DEFAULT_SEND_TIMING: SendTiming = {
  quietStart: 21,
  quietEnd: 8,
  capCount: 2,
  capDays: 7,
  optimizeSendTime: true,
  maxDelayHours: 24,
};

/** Every email as soon as it is due: for tests and the demo, whose mail must not wait. */
export const IMMEDIATE_SEND_TIMING: SendTiming = {
  quietStart: 0,
  quietEnd: 0,
  capCount: 20,
  capDays: 1,
  optimizeSendTime: false,
  maxDelayHours: 1,
};

interface SendTimingRow {
  quiet_start: number;
  quiet_end: number;
  cap_count: number;
  cap_days: number;
  optimize_send_time: boolean;
  max_delay_hours: number;
}

/**
 * The shops' settings for a few seconds per database: every marketing email reads them, a flow
 * run hundreds a second. A save drops the shop's entry in this process; the others see it
 * within the few seconds.
 */
const timings = cachePerDatabase<SendTiming>(10_000, 5_000);

export async function getSendTiming(sql: SqlQueryable, shopId: number): Promise<SendTiming> {
  const cache = timings(sql);
  const hit = cache.get(String(shopId));
  if (hit) return hit;
  const timing = await readSendTiming(sql, shopId);
  cache.set(String(shopId), timing);
  return timing;
}

async function readSendTiming(sql: SqlQueryable, shopId: number): Promise<SendTiming> {
  const { rows } = await sql.query<SendTimingRow>(
    `SELECT quiet_start, quiet_end, cap_count, cap_days, optimize_send_time, max_delay_hours
     FROM shop_send_timing WHERE shop_id = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return DEFAULT_SEND_TIMING;
  return {
    quietStart: row.quiet_start,
    quietEnd: row.quiet_end,
    capCount: row.cap_count,
    capDays: row.cap_days,
    optimizeSendTime: row.optimize_send_time,
    maxDelayHours: row.max_delay_hours,
  };
}

export async function saveSendTiming(
  sql: SqlQueryable,
  shopId: number,
  settings: SendTiming,
): Promise<void> {
  const valid = sendTimingSchema.parse(settings);
  await sql.query(
    `INSERT INTO shop_send_timing (shop_id, quiet_start, quiet_end, cap_count, cap_days,
                                   optimize_send_time, max_delay_hours, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (shop_id) DO UPDATE
     SET quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
         cap_count = excluded.cap_count, cap_days = excluded.cap_days,
         optimize_send_time = excluded.optimize_send_time,
         max_delay_hours = excluded.max_delay_hours, updated_at = now()`,
    [
      shopId,
      valid.quietStart,
      valid.quietEnd,
      valid.capCount,
      valid.capDays,
      valid.optimizeSendTime,
      valid.maxDelayHours,
    ],
  );
  timings(sql).delete(String(shopId));
}

export type SendTimingField = keyof SendTiming;
export type SendTimingErrors = Partial<Record<SendTimingField, string>>;

/** The settings card's fields (strings, a checkbox sends "on"); errors are message keys. */
export function parseSendTimingForm(
  form: Record<string, unknown>,
): { ok: true; settings: SendTiming } | { ok: false; errors: SendTimingErrors } {
  const parsed = sendTimingSchema.safeParse({
    quietStart: form.quietStart,
    quietEnd: form.quietEnd,
    capCount: form.capCount,
    capDays: form.capDays,
    optimizeSendTime: form.optimizeSendTime === "on",
    maxDelayHours: form.maxDelayHours,
  });
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: SendTimingErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as SendTimingField;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
