/**
 * What a full recompute learns about a shop and every incremental update reuses: the fitted (or
 * prior) BG/NBD and Gamma-Gamma parameters, the RFM quintile thresholds and the shop's purchase
 * cadence. Incremental updates score one customer against it in microseconds; the nightly full
 * recompute refits it.
 */
import type { CustomerSummary } from "./models/customer-summary";
import { fitOrFallback, type ModelChoice } from "./models/fit-or-fallback";
import type { BgNbdParams } from "./models/bgnbd";
import type { GammaGammaParams } from "./models/gamma-gamma";
import { DEFAULT_LIFECYCLE_CONFIG } from "./models/lifecycle";
import { computeRfmThresholds, withThresholdOverrides, type RfmThresholds } from "./models/rfm";
import type { AnalyticsSettings } from "./settings";

export interface ShopModel {
  bgnbd: ModelChoice<BgNbdParams>;
  gammaGamma: ModelChoice<GammaGammaParams>;
  /** Quintiles of this shop's customers, before merchant overrides. */
  computedRfmThresholds: RfmThresholds;
  /** Mean gap between purchase days over customers with a repeat purchase. */
  shopAvgDaysBetween: number;
}

/**
 * Seven parameters are pinned to well under 1 % by this many customers, and the fits cost time in
 * proportion to the customers they see, so a larger shop is fitted on an evenly spaced sample of
 * its buyers (every k-th, in customer order, which is unrelated to behaviour). Every customer is
 * still scored.
 */
export const MAX_FIT_CUSTOMERS = 25_000;

/** Exactly `size` items, evenly spaced through the list. */
function evenSample<T>(items: readonly T[], size: number): readonly T[] {
  if (items.length <= size) return items;
  return items.filter((_, i) => (i * size) % items.length < size);
}

export function fitShopModel(summaries: readonly CustomerSummary[]): ShopModel {
  const histories = evenSample(
    summaries.flatMap(({ bgnbd, zbar }) => (bgnbd ? [{ ...bgnbd, zbar }] : [])),
    MAX_FIT_CUSTOMERS,
  );
  const buyers = summaries.filter(({ metrics }) => metrics.ordersCount > 0);
  const gaps = buyers.flatMap(({ metrics }) =>
    metrics.avgDaysBetweenOrders === null ? [] : [metrics.avgDaysBetweenOrders],
  );
  const { bgnbd, gammaGamma } = fitOrFallback(histories);
  return {
    bgnbd,
    gammaGamma,
    computedRfmThresholds: computeRfmThresholds({
      recencyDays: buyers.map(({ metrics }) => metrics.daysSinceLastOrder ?? 0),
      frequency: buyers.map(({ metrics }) => metrics.ordersCount),
      monetary: buyers.map(({ metrics }) => metrics.netRevenue),
    }),
    shopAvgDaysBetween:
      gaps.length > 0
        ? gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length
        : DEFAULT_LIFECYCLE_CONFIG.shopAvgDaysBetweenOrders,
  };
}

/** The thresholds scoring uses: computed ones with the merchant's overrides on top. */
export function effectiveRfmThresholds(model: ShopModel, settings: AnalyticsSettings) {
  return withThresholdOverrides(model.computedRfmThresholds, settings.rfmOverrides);
}
