/**
 * Merchant rules, applied after scoring: what may never be shown (out of stock unless the
 * merchant allows it, draft/archived, gift cards, excluded tags, product types, vendors or
 * collections, blocked ids, the product being viewed), pinned products first, at most
 * `maxPerBlock` products, and fallbacks to fill the block up to the limit.
 */
import { fillDistinct } from "./blend";
import type { CatalogueProduct, ScoredProduct } from "./types";

export interface MerchantRules {
  /** Default true. Pinned products must be in stock either way: a pin is a promise to sell. */
  excludeOutOfStock: boolean;
  /** Tags, product types and vendors compare case-insensitively, as Shopify's admin filters do. */
  excludedTags: readonly string[];
  excludedProductTypes: readonly string[];
  excludedVendors: readonly string[];
  excludedCollectionIds: readonly string[];
  /** Never shown, even when also pinned. */
  blockedProductIds: readonly string[];
  /** Shown first, in this order, if eligible. */
  pinnedProductIds: readonly string[];
  /** The most products one recommendation block shows, whatever the caller asks for. */
  maxPerBlock: number;
}

export interface RuleContext {
  catalogue: ReadonlyMap<string, CatalogueProduct>;
  rules?: Partial<MerchantRules>;
  limit: number;
  /** The product page being viewed, never recommended to itself. */
  currentProductId?: string;
  /** Taken in order (e.g. popular, then new arrivals) when scoring left the block short. */
  fallbacks?: readonly (readonly ScoredProduct[])[];
}

export function catalogueById(products: Iterable<CatalogueProduct>): Map<string, CatalogueProduct> {
  return new Map([...products].map((product) => [product.id, product]));
}

// Blank entries are dropped: a product without a vendor must not match an empty exclusion.
const lowerSet = (values: readonly string[] | undefined) =>
  new Set((values ?? []).map((value) => value.trim().toLowerCase()).filter(Boolean));

export function applyMerchantRules(
  scored: readonly ScoredProduct[],
  context: RuleContext,
): ScoredProduct[] {
  const rules = context.rules ?? {};
  const limit = Math.min(context.limit, rules.maxPerBlock ?? Infinity);
  const excludeOutOfStock = rules.excludeOutOfStock ?? true;
  const excluded = new Set(rules.blockedProductIds ?? []);
  if (context.currentProductId !== undefined) excluded.add(context.currentProductId);
  const excludedTags = lowerSet(rules.excludedTags);
  const excludedTypes = lowerSet(rules.excludedProductTypes);
  const excludedVendors = lowerSet(rules.excludedVendors);
  const excludedCollections = new Set(rules.excludedCollectionIds ?? []);
  const isEligible = (productId: string): boolean => {
    const product = context.catalogue.get(productId);
    // A product missing from the catalogue cannot be checked for stock or status, so it is not shown.
    if (!product || excluded.has(productId)) return false;
    return (
      product.status === "active" &&
      (product.inStock || !excludeOutOfStock) &&
      !product.giftCard &&
      !product.tags.some((tag) => excludedTags.has(tag.toLowerCase())) &&
      !excludedTypes.has((product.productType ?? "").toLowerCase()) &&
      !excludedVendors.has((product.vendor ?? "").toLowerCase()) &&
      !product.collectionIds.some((id) => excludedCollections.has(id))
    );
  };

  const scoreOf = new Map(scored.map((product) => [product.productId, product.score]));
  const pinned: ScoredProduct[] = (rules.pinnedProductIds ?? [])
    .filter((productId) => context.catalogue.get(productId)?.inStock === true)
    .map((productId) => ({ productId, score: scoreOf.get(productId) ?? 0, source: "pinned" }));
  const lists = [pinned, scored, ...(context.fallbacks ?? [])].map((list) =>
    list.filter((product) => isEligible(product.productId)),
  );
  return fillDistinct(lists, limit);
}
