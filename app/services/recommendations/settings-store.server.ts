/**
 * recommendation_settings: one row per shop. The storefront reads it through a cache of a few
 * seconds per process (a query per request doubled the proxy's p99); the process that saves
 * drops its entry at once, every other process serves the change within SERVING_TTL_MS.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { ResponseCache } from "~/services/storefront/response-cache";
import {
  DEFAULT_RECOMMENDATION_SETTINGS,
  recommendationSettingsSchema,
  type RecommendationSettings,
} from "./settings";

export interface StoredRecommendationSettings {
  settings: RecommendationSettings;
  /**
   * Changes on every save (updated_at in ms; 0 before the first save). The storefront answer
   * cache keys on it, so answers cached under older rules are never served again.
   */
  version: number;
}

const SERVING_TTL_MS = 5_000;
/** Exported for tests, which empty the tables between cases. */
export const servingSettings = new ResponseCache<StoredRecommendationSettings>(
  10_000,
  SERVING_TTL_MS,
);

/** The settings the storefront serves with, from the short per-process cache. */
export async function loadServingSettings(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredRecommendationSettings> {
  const key = String(shopId);
  const cached = servingSettings.get(key);
  if (cached) return cached;
  const loaded = await loadRecommendationSettings(sql, shopId);
  servingSettings.set(key, loaded);
  return loaded;
}

/** The array columns are nullable (Prisma's `String[]` maps to a nullable array). */
interface SettingsRow {
  exclude_out_of_stock: boolean;
  excluded_product_tags: string[] | null;
  excluded_product_types: string[] | null;
  excluded_vendors: string[] | null;
  pinned_product_ids: string[] | null;
  blocked_product_ids: string[] | null;
  max_per_block: number;
  updated_at: string;
}

export async function loadRecommendationSettings(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredRecommendationSettings> {
  const { rows } = await sql.query<SettingsRow>(
    `SELECT exclude_out_of_stock, excluded_product_tags, excluded_product_types, excluded_vendors,
            pinned_product_ids::text[] AS pinned_product_ids,
            blocked_product_ids::text[] AS blocked_product_ids, max_per_block,
            to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
     FROM recommendation_settings WHERE shop_id = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return { settings: DEFAULT_RECOMMENDATION_SETTINGS, version: 0 };
  const parsed = recommendationSettingsSchema.safeParse({
    excludeOutOfStock: row.exclude_out_of_stock,
    excludedProductTags: row.excluded_product_tags ?? [],
    excludedProductTypes: row.excluded_product_types ?? [],
    excludedVendors: row.excluded_vendors ?? [],
    pinnedProductIds: row.pinned_product_ids ?? [],
    blockedProductIds: row.blocked_product_ids ?? [],
    maxPerBlock: row.max_per_block,
  });
  const version = new Date(row.updated_at).getTime();
  if (parsed.success) return { settings: parsed.data, version };
  // Only a hand-edited row gets here; the storefront keeps working on the defaults.
  logger.warn(
    { shopId, issues: parsed.error.issues.map((issue) => issue.path.join(".")) },
    "recommendation settings invalid, serving defaults",
  );
  return { settings: DEFAULT_RECOMMENDATION_SETTINGS, version };
}

/** Validates and stores the shop's settings; throws a ZodError on invalid input. */
export async function saveRecommendationSettings(
  sql: SqlQueryable,
  shopId: number,
  input: RecommendationSettings,
): Promise<RecommendationSettings> {
  const settings = recommendationSettingsSchema.parse(input);
  // updated_at is the cache version: it must move forward on every save, also on two saves
  // within the same millisecond (the column keeps milliseconds).
  await sql.query(
    `INSERT INTO recommendation_settings AS s
       (shop_id, exclude_out_of_stock, excluded_product_tags, excluded_product_types,
        excluded_vendors, pinned_product_ids, blocked_product_ids, max_per_block, updated_at)
     VALUES ($1, $2, $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8,
             now() AT TIME ZONE 'UTC')
     ON CONFLICT (shop_id) DO UPDATE SET
       exclude_out_of_stock = EXCLUDED.exclude_out_of_stock,
       excluded_product_tags = EXCLUDED.excluded_product_tags,
       excluded_product_types = EXCLUDED.excluded_product_types,
       excluded_vendors = EXCLUDED.excluded_vendors,
       pinned_product_ids = EXCLUDED.pinned_product_ids,
       blocked_product_ids = EXCLUDED.blocked_product_ids,
       max_per_block = EXCLUDED.max_per_block,
       updated_at = greatest(EXCLUDED.updated_at, s.updated_at + interval '1 millisecond')`,
    [
      shopId,
      settings.excludeOutOfStock,
      settings.excludedProductTags,
      settings.excludedProductTypes,
      settings.excludedVendors,
      settings.pinnedProductIds,
      settings.blockedProductIds,
      settings.maxPerBlock,
    ],
  );
  servingSettings.delete(String(shopId));
  logger.info(
    {
      shopId,
      pinned: settings.pinnedProductIds.length,
      blocked: settings.blockedProductIds.length,
      maxPerBlock: settings.maxPerBlock,
    },
    "recommendation settings saved",
  );
  return settings;
}
