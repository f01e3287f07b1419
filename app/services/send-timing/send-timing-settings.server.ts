/**
 * A shop's send-timing settings: quiet hours, the frequency cap across flows and win-back, and
 * send-time optimisation. A shop that never saved them gets the defaults below.
 */
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";

const hour = z.coerce
  .number({ message: "sendTiming.errors.hour" })
  .int({ message: "sendTiming.errors.hour" })
  .min(0, { message: "sendTiming.errors.hour" })
  .max(23, { message: "sendTiming.errors.hour" });

export const sendTimingSchema = z.strictObject({
  /** Quiet hours [start, end) on the shop's clock, e.g. 21 → 8; equal means none. */
  quietStart: hour,
  quietEnd: hour,
  /** At most `capCount` marketing emails per customer in `capDays` days. */
  capCount: z.coerce
    .number({ message: "sendTiming.errors.capCount" })
    .int({ message: "sendTiming.errors.capCount" })
    .min(1, { message: "sendTiming.errors.capCount" })
    .max(20, { message: "sendTiming.errors.capCount" }),
  capDays: z.coerce
    .number({ message: "sendTiming.errors.capDays" })
    .int({ message: "sendTiming.errors.capDays" })
    .min(1, { message: "sendTiming.errors.capDays" })
    .max(30, { message: "sendTiming.errors.capDays" }),
  /** Each email waits (at most `maxDelayHours`) for the hour the customer usually buys in. */
  optimizeSendTime: z.boolean(),
  maxDelayHours: z.coerce
    .number({ message: "sendTiming.errors.maxDelayHours" })
    .int({ message: "sendTiming.errors.maxDelayHours" })
    .min(1, { message: "sendTiming.errors.maxDelayHours" })
    .max(72, { message: "sendTiming.errors.maxDelayHours" }),
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

export async function getSendTiming(sql: SqlQueryable, shopId: number): Promise<SendTiming> {
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
