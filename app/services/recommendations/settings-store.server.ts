/**
 * recommendation_settings: one row per shop. The storefront reads it through a cache of a few
 * seconds per process (a query per request doubled the proxy's p99); the process that saves
 * drops its entry at once, every other process serves the change within SERVING_TTL_MS.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { ResponseCache } from "~/lib/response-cache";
import {
  DEFAULT_RECOMMENDATION_SETTINGS,
  editablePart,
  type EditableRecommendationSettings,
  type ExcludedCollection,
  type RecommendationSettings,
} from "./settings";
import {
  editableRecommendationSettingsSchema,
  recommendationSettingsSchema,
} from "./settings-schema.server";

export interface StoredRecommendationSettings {
  settings: RecommendationSettings;
  /**
   * Changes on every save (updated_at in ms; 0 before the first save). The storefront answer
   * cache keys on it, so answers cached under older rules are never served again.
   */
  version: number;
  /** When `excludedCollectionProductIds` was last resolved; null before the first time. */
  collectionsResolvedAt: Date | null;
}

/** The products of the excluded collections as the Admin API listed them at `resolvedAt`. */
export interface ResolvedCollections {
  productIds: readonly string[];
  resolvedAt: Date;
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
  excluded_collections: unknown;
  excluded_collection_product_ids: string[] | null;
  collections_resolved_at: string | null;
  max_per_block: number;
  attribution_days: number;
  experiment_shares: unknown;
  updated_at: string;
}

const MS_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export async function loadRecommendationSettings(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredRecommendationSettings> {
  const { rows } = await sql.query<SettingsRow>(
    `SELECT exclude_out_of_stock, excluded_product_tags, excluded_product_types, excluded_vendors,
            pinned_product_ids::text[] AS pinned_product_ids,
            blocked_product_ids::text[] AS blocked_product_ids, excluded_collections,
            excluded_collection_product_ids::text[] AS excluded_collection_product_ids,
            to_char(collections_resolved_at, ${MS_TEXT}) AS collections_resolved_at,
            max_per_block, attribution_days, experiment_shares,
            to_char(updated_at, ${MS_TEXT}) AS updated_at
     FROM recommendation_settings WHERE shop_id = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) {
    return { settings: DEFAULT_RECOMMENDATION_SETTINGS, version: 0, collectionsResolvedAt: null };
  }
  const parsed = recommendationSettingsSchema.safeParse({
    excludeOutOfStock: row.exclude_out_of_stock,
    excludedProductTags: row.excluded_product_tags ?? [],
    excludedProductTypes: row.excluded_product_types ?? [],
    excludedVendors: row.excluded_vendors ?? [],
    pinnedProductIds: row.pinned_product_ids ?? [],
    blockedProductIds: row.blocked_product_ids ?? [],
    excludedCollections: row.excluded_collections ?? [],
    excludedCollectionProductIds: row.excluded_collection_product_ids ?? [],
    maxPerBlock: row.max_per_block,
    attributionDays: row.attribution_days,
    // Placements saved before tests existed run none.
    experimentShares: {
      ...DEFAULT_RECOMMENDATION_SETTINGS.experimentShares,
      ...(row.experiment_shares as object),
    },
  });
  const version = new Date(row.updated_at).getTime();
  const collectionsResolvedAt =
    row.collections_resolved_at === null ? null : new Date(row.collections_resolved_at);
  if (parsed.success) return { settings: parsed.data, version, collectionsResolvedAt };
  // Only a hand-edited row gets here; the storefront keeps working on the defaults.
  logger.warn(
    { shopId, issues: parsed.error.issues.map((issue) => issue.path.join(".")) },
    "recommendation settings invalid, serving defaults",
  );
  return { settings: DEFAULT_RECOMMENDATION_SETTINGS, version, collectionsResolvedAt: null };
}

// updated_at is the cache version: it must move forward on every write that changes what is
// served, also on two writes within the same millisecond (the column keeps milliseconds).
const NEXT_VERSION = `greatest(now() AT TIME ZONE 'UTC', s.updated_at + interval '1 millisecond')`;

/**
 * Validates and stores the merchant's settings; throws a ZodError on invalid input. With
 * `resolved`, the collections' products are replaced too; without (resolution failed), the
 * previously resolved products stay until the next resolution.
 */
export async function saveRecommendationSettings(
  sql: SqlQueryable,
  shopId: number,
  input: EditableRecommendationSettings,
  resolved?: ResolvedCollections,
): Promise<EditableRecommendationSettings> {
  const settings = editableRecommendationSettingsSchema.parse(editablePart(input));
  await sql.query(
    `INSERT INTO recommendation_settings AS s
       (shop_id, exclude_out_of_stock, excluded_product_tags, excluded_product_types,
        excluded_vendors, pinned_product_ids, blocked_product_ids, excluded_collections,
        excluded_collection_product_ids, collections_resolved_at, max_per_block,
        attribution_days, experiment_shares, updated_at)
     VALUES ($1, $2, $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::jsonb,
             coalesce($9::bigint[], '{}'), $10::timestamptz AT TIME ZONE 'UTC', $11, $12,
             $13::jsonb, now() AT TIME ZONE 'UTC')
     ON CONFLICT (shop_id) DO UPDATE SET
       exclude_out_of_stock = EXCLUDED.exclude_out_of_stock,
       excluded_product_tags = EXCLUDED.excluded_product_tags,
       excluded_product_types = EXCLUDED.excluded_product_types,
       excluded_vendors = EXCLUDED.excluded_vendors,
       pinned_product_ids = EXCLUDED.pinned_product_ids,
       blocked_product_ids = EXCLUDED.blocked_product_ids,
       excluded_collections = EXCLUDED.excluded_collections,
       excluded_collection_product_ids = CASE WHEN $9::bigint[] IS NULL
         THEN s.excluded_collection_product_ids ELSE EXCLUDED.excluded_collection_product_ids END,
       collections_resolved_at = CASE WHEN $9::bigint[] IS NULL
         THEN s.collections_resolved_at ELSE EXCLUDED.collections_resolved_at END,
       max_per_block = EXCLUDED.max_per_block,
       attribution_days = EXCLUDED.attribution_days,
       experiment_shares = EXCLUDED.experiment_shares,
       updated_at = ${NEXT_VERSION}`,
    [
      shopId,
      settings.excludeOutOfStock,
      settings.excludedProductTags,
      settings.excludedProductTypes,
      settings.excludedVendors,
      settings.pinnedProductIds,
      settings.blockedProductIds,
      JSON.stringify(settings.excludedCollections),
      resolved ? [...resolved.productIds] : null,
      resolved ? resolved.resolvedAt.toISOString() : null,
      settings.maxPerBlock,
      settings.attributionDays,
      JSON.stringify(settings.experimentShares),
    ],
  );
  servingSettings.delete(String(shopId));
  logger.info(
    {
      shopId,
      pinned: settings.pinnedProductIds.length,
      blocked: settings.blockedProductIds.length,
      collections: settings.excludedCollections.length,
      collectionProducts: resolved?.productIds.length,
      maxPerBlock: settings.maxPerBlock,
      attributionDays: settings.attributionDays,
      experimentShares: settings.experimentShares,
    },
    "recommendation settings saved",
  );
  return settings;
}

/**
 * Stores a background resolution of the excluded collections (titles refreshed, deleted ones
 * dropped). Only when the list is still `expected`: a merchant's save in the meantime has
 * resolved its own list, which an older answer must not overwrite. True when written.
 */
export async function saveResolvedCollections(
  sql: SqlQueryable,
  shopId: number,
  expected: readonly ExcludedCollection[],
  collections: readonly ExcludedCollection[],
  resolved: ResolvedCollections,
): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE recommendation_settings AS s SET
       excluded_collections = $3::jsonb,
       excluded_collection_product_ids = $4::bigint[],
       collections_resolved_at = $5::timestamptz AT TIME ZONE 'UTC',
       updated_at = ${NEXT_VERSION}
     WHERE shop_id = $1 AND excluded_collections = $2::jsonb
     RETURNING shop_id`,
    [
      shopId,
      JSON.stringify(expected),
      JSON.stringify(collections),
      [...resolved.productIds],
      resolved.resolvedAt.toISOString(),
    ],
  );
  servingSettings.delete(String(shopId));
  return rows.length > 0;
}
