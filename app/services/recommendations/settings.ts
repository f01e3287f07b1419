/**
 * The merchant's recommendation rules (stored in recommendation_settings): their shape, limits
 * and defaults. No server imports and no validation library: the admin page's component reads
 * the limits and field names, and the form is checked on the server
 * (settings-schema.server.ts). Drafts, archived products and gift cards are always left out;
 * these rules come on top.
 */
import type { Placement } from "./model/placements";
import type { MerchantRules } from "./model/rules";
import type { Message } from "~/i18n/message";

/** The storefront block never shows more than this (the theme setting's maximum, too). */
export const MAX_PER_BLOCK = 12;
/** More pins than a block can show would only matter when several sell out at once. */
export const MAX_PINNED = 24;
export const MAX_BLOCKED = 500;
/** Each excluded collection costs at least one Admin API call per save and per daily rebuild. */
export const MAX_EXCLUDED_COLLECTIONS = 50;
/** Orders this many days after a click or add-to-cart count for the recommendation. */
export const MAX_ATTRIBUTION_DAYS = 30;
/** The share of shoppers a test may show bestsellers to, in percent. */
export const EXPERIMENT_SHARES = [0, 10, 20, 50] as const;

/** A collection the merchant excluded; the title is what the page shows. */
export interface ExcludedCollection {
  /** The numeric id as a string (Shopify ids exceed 2^53). */
  id: string;
  title: string;
}

export interface RecommendationSettings {
  excludeOutOfStock: boolean;
  excludedProductTags: string[];
  excludedProductTypes: string[];
  excludedVendors: string[];
  /** Product ids as strings (Shopify ids exceed 2^53). */
  pinnedProductIds: string[];
  blockedProductIds: string[];
  excludedCollections: ExcludedCollection[];
  /**
   * The products in `excludedCollections` when the app last resolved them through the Admin API
   * (webhooks do not carry collection membership). Filled in by the app, never by the form.
   */
  excludedCollectionProductIds: string[];
  maxPerBlock: number;
  attributionDays: number;
  /**
   * Per placement, the percentage of shoppers shown bestsellers instead of Rekindle's picks, to
   * measure the difference (0: no test).
   */
  experimentShares: Record<Placement, number>;
}

/** What the merchant edits on the settings page: everything but the resolved product ids. */
export type EditableRecommendationSettings = Omit<
  RecommendationSettings,
  "excludedCollectionProductIds"
>;

export const DEFAULT_RECOMMENDATION_SETTINGS: RecommendationSettings = {
  excludeOutOfStock: true,
  excludedProductTags: [],
  excludedProductTypes: [],
  excludedVendors: [],
  pinnedProductIds: [],
  blockedProductIds: [],
  excludedCollections: [],
  excludedCollectionProductIds: [],
  maxPerBlock: 8,
  attributionDays: 7,
  experimentShares: { for_you: 0, lifecycle: 0, product_page: 0, cart: 0 },
};

/** The merchant's part of full settings (strict schemas refuse the resolved ids). */
export function editablePart(
  settings: EditableRecommendationSettings,
): EditableRecommendationSettings {
  const { excludedCollectionProductIds: _resolved, ...editable } =
    settings as RecommendationSettings;
  return editable;
}

/**
 * The rules `applyMerchantRules` takes. The cart's products and those of excluded collections
 * are blocked on top, so an exclusion wins over a pin as a block does.
 */
export function merchantRulesOf(
  settings: RecommendationSettings,
  alsoBlocked: readonly string[] = [],
): Partial<MerchantRules> {
  return {
    excludeOutOfStock: settings.excludeOutOfStock,
    excludedTags: settings.excludedProductTags,
    excludedProductTypes: settings.excludedProductTypes,
    excludedVendors: settings.excludedVendors,
    pinnedProductIds: settings.pinnedProductIds,
    blockedProductIds: [
      ...settings.blockedProductIds,
      ...settings.excludedCollectionProductIds,
      ...alsoBlocked,
    ],
    maxPerBlock: settings.maxPerBlock,
  };
}

export type SettingsField = keyof EditableRecommendationSettings;
export type SettingsFormErrors = Partial<Record<SettingsField, Message>>;
