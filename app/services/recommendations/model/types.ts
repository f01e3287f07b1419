/**
 * Shapes shared by the recommendation model, its fallbacks, the merchant rules and the offline
 * evaluation. Ids are strings everywhere because Shopify ids exceed 2^53.
 */
import type { LifecycleStage } from "~/services/analytics/models/lifecycle";

/** One order line of purchase history; `customerId` is null for guest checkouts. */
export interface Purchase {
  customerId: string | null;
  orderId: string;
  productId: string;
  at: Date;
  quantity: number;
}

/** The part of a purchase that personal recommendations look at. */
export type HistoryEntry = Pick<Purchase, "productId" | "at">;

/** A recommended product and why; higher scores rank first. */
export interface ScoredProduct {
  productId: string;
  score: number;
  source: RecommendationSource;
}

export type RecommendationSource =
  | "neighbours"
  | "repurchase"
  | "complements"
  | "popular"
  | "trending"
  | "new_arrival"
  | "pinned"
  /** The shopper looked at it lately (web pixel). */
  | "viewed";

export type { LifecycleStage };

/** What the merchant rules need to know about a catalogue product. */
export interface CatalogueProduct {
  id: string;
  status: "active" | "draft" | "archived";
  giftCard: boolean;
  inStock: boolean;
  tags: readonly string[];
  collectionIds: readonly string[];
  /** Shopify's product type and vendor, for the merchant's exclusions; absent reads as none. */
  productType?: string | null;
  vendor?: string | null;
  createdAt: Date;
}

export const MS_PER_DAY = 86_400_000;
