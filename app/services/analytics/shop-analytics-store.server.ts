/**
 * The shop_analytics row: the model a full recompute fitted, which incremental updates reuse,
 * and the merchant's settings. Parsed with zod on read so a hand-edited or older row fails
 * loudly instead of scoring customers with garbage.
 */
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache } from "~/lib/response-cache";
import type { Cohort } from "./cohorts.server";
import { analyticsSettingsSchema, type AnalyticsSettings } from "./settings";
import type { ShopModel } from "./shop-model";

const quartet = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const choice = <Shape extends z.ZodRawShape>(params: Shape) =>
  z.object({
    params: z.object(params),
    basis: z.enum(["fitted", "pooled_prior"]),
    reason: z.enum([
      "fitted",
      "too_few_repeat_customers",
      "did_not_converge",
      "implausible_estimates",
      "invalid_input",
    ]),
    detail: z.string(),
  });
const storedModelSchema = z.object({
  bgnbd: choice({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number() }),
  gammaGamma: choice({ p: z.number(), q: z.number(), gamma: z.number() }),
  computedRfmThresholds: z.object({
    recencyDays: quartet,
    frequency: quartet,
    monetary: quartet,
  }),
  shopAvgDaysBetween: z.number(),
});

export interface ShopAnalyticsContext {
  shopId: number;
  timeZone: string;
  settings: AnalyticsSettings;
  /** null until the first full recompute. */
  model: ShopModel | null;
  asOf: Date | null;
}

/** The shop's stored analytics as text (jsonb read as text), the cache key of its parse. */
export interface ShopAnalyticsRow {
  iana_timezone: string;
  settings: string | null;
  bgnbd: string | null;
  gamma_gamma: string | null;
  rfm_thresholds: string | null;
  shop_avg_days_between: number | null;
  as_of: string | null;
}

/** The ShopAnalyticsRow columns over `shop s LEFT JOIN shop_analytics a`. */
export const SHOP_ANALYTICS_COLUMNS = `s.iana_timezone, a.settings::text AS settings,
  a.bgnbd::text AS bgnbd, a.gamma_gamma::text AS gamma_gamma,
  a.rfm_thresholds::text AS rfm_thresholds, a.shop_avg_days_between,
  to_char(a.as_of, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS as_of`;

function parseShopAnalytics(shopId: number, row: ShopAnalyticsRow): ShopAnalyticsContext {
  const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
  const model =
    row.as_of === null
      ? null
      : storedModelSchema.parse({
          bgnbd: parse(row.bgnbd),
          gammaGamma: parse(row.gamma_gamma),
          computedRfmThresholds: parse(row.rfm_thresholds),
          shopAvgDaysBetween: row.shop_avg_days_between,
        });
  return {
    shopId,
    timeZone: row.iana_timezone,
    settings: analyticsSettingsSchema.parse(parse(row.settings) ?? {}),
    model,
    asOf: row.as_of === null ? null : new Date(row.as_of),
  };
}

/**
 * Parsed contexts by their stored text: incremental updates read the row with every batch (in
 * the statement that claims the customers, so it costs no round trip) and parse and validate it
 * only when it changed (a full recompute, a settings save).
 */
const parsedContexts = new ResponseCache<ShopAnalyticsContext>(1_000, 3_600_000);

/** The context of a row read with SHOP_ANALYTICS_COLUMNS, parsed once per distinct content. */
export function shopAnalyticsFromRow(shopId: number, row: ShopAnalyticsRow): ShopAnalyticsContext {
  const key = JSON.stringify([
    shopId,
    row.iana_timezone,
    row.settings,
    row.bgnbd,
    row.gamma_gamma,
    row.rfm_thresholds,
    row.shop_avg_days_between,
    row.as_of,
  ]);
  const cached = parsedContexts.get(key);
  if (cached) return cached;
  const context = parseShopAnalytics(shopId, row);
  parsedContexts.set(key, context);
  return context;
}

export async function loadShopAnalytics(
  sql: SqlQueryable,
  shopId: number,
): Promise<ShopAnalyticsContext | null> {
  const { rows } = await sql.query<ShopAnalyticsRow>(
    `SELECT ${SHOP_ANALYTICS_COLUMNS}
     FROM shop s LEFT JOIN shop_analytics a ON a.shop_id = s.id WHERE s.id = $1`,
    [shopId],
  );
  const row = rows[0];
  return row ? parseShopAnalytics(shopId, row) : null;
}

export async function saveShopModel(
  sql: SqlQueryable,
  shopId: number,
  run: {
    asOf: Date;
    model: ShopModel;
    cohorts: readonly Cohort[];
    customersCount: number;
    recomputeMs: number;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO shop_analytics (shop_id, as_of, bgnbd, gamma_gamma, rfm_thresholds,
       shop_avg_days_between, customers_count, recompute_ms, cohorts, computed_at,
       recompute_requested)
     VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC'), $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8,
             $9::jsonb, now() AT TIME ZONE 'UTC', false)
     ON CONFLICT (shop_id) DO UPDATE SET as_of = EXCLUDED.as_of, bgnbd = EXCLUDED.bgnbd,
       gamma_gamma = EXCLUDED.gamma_gamma, rfm_thresholds = EXCLUDED.rfm_thresholds,
       shop_avg_days_between = EXCLUDED.shop_avg_days_between,
       customers_count = EXCLUDED.customers_count, recompute_ms = EXCLUDED.recompute_ms,
       cohorts = EXCLUDED.cohorts,
       computed_at = EXCLUDED.computed_at, recompute_requested = false`,
    [
      shopId,
      run.asOf.toISOString(),
      JSON.stringify(run.model.bgnbd),
      JSON.stringify(run.model.gammaGamma),
      JSON.stringify(run.model.computedRfmThresholds),
      run.model.shopAvgDaysBetween,
      run.customersCount,
      run.recomputeMs,
      JSON.stringify(run.cohorts),
    ],
  );
}

/**
 * Validates and stores the merchant's settings; the next recompute applies them.
 * @throws ZodError on invalid settings (nothing is written).
 */
export async function saveAnalyticsSettings(
  sql: SqlQueryable,
  shopId: number,
  input: unknown,
): Promise<AnalyticsSettings> {
  const settings = analyticsSettingsSchema.parse(input);
  await sql.query(`UPDATE shop_analytics SET settings = $2::jsonb WHERE shop_id = $1`, [
    shopId,
    JSON.stringify(settings),
  ]);
  await requestFullRecompute(sql, shopId);
  return settings;
}

/**
 * Makes the shop due for a full recompute on the next scheduler pass (after a backfill, or when
 * the settings change). The stored model stays usable for incremental updates meanwhile.
 */
export async function requestFullRecompute(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.query(`UPDATE shop_analytics SET recompute_requested = true WHERE shop_id = $1`, [
    shopId,
  ]);
}
