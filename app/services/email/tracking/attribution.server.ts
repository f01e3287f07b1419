/** The shop's attribution window (shop.email_attribution_days): the email settings' field. */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ATTRIBUTION_DAYS } from "./attribution-days";

/** The shop's window, clamped to what the settings allow. */
export async function saveAttributionDays(
  sql: SqlQueryable,
  shopId: number,
  days: number,
): Promise<number> {
  const clamped = Math.min(ATTRIBUTION_DAYS.max, Math.max(ATTRIBUTION_DAYS.min, Math.round(days)));
  await sql.query(`UPDATE shop SET email_attribution_days = $2 WHERE id = $1`, [shopId, clamped]);
  return clamped;
}

export async function loadAttributionDays(sql: SqlQueryable, shopId: number): Promise<number> {
  const { rows } = await sql.query<{ days: number }>(
    `SELECT email_attribution_days AS days FROM shop WHERE id = $1`,
    [shopId],
  );
  return rows[0]?.days ?? ATTRIBUTION_DAYS.default;
}
