/**
 * Lifecycle stage of a customer from their order metrics and the stage they had last time.
 *
 * "Recent" is judged against the customer's expected gap between purchases, not a fixed number
 * of days: 60 days of silence is alarming for a weekly coffee buyer and normal for a furniture
 * buyer. The expected gap g shrinks the customer's own mean gap towards the shop's average,
 * weighting the customer by how many gaps they have shown:
 *   g = (k · own + w · shop) / (k + w),  k = number of gaps (purchase days − 1), w = cadencePriorWeight
 * clamped to [minCadenceDays, maxCadenceDays]. Then, with d = days since the last order:
 *   d ≤ activeMultiple · g   → recent (new / active / loyal / reactivated)
 *   d ≤ atRiskMultiple · g   → at_risk
 *   d ≤ lapsingMultiple · g  → lapsing
 *   otherwise                → lost
 */
import { InvalidThresholdsError } from "./errors";

/** Every stage a customer can be in; segments, rules and recommendations name them from here. */
export const LIFECYCLE_STAGES = [
  "prospect",
  "new",
  "active",
  "loyal",
  "at_risk",
  "lapsing",
  "lost",
  "reactivated",
] as const;

export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export interface LifecycleMetrics {
  ordersCount: number;
  daysSinceLastOrder: number | null;
  /** Mean gap between purchase days; null with fewer than two. */
  avgDaysBetweenOrders: number | null;
  /** Gap before the latest purchase day; null with fewer than two. */
  daysBetweenLastTwoOrders: number | null;
}

export interface LifecycleConfig {
  /** A one-order customer is "new" for this many days after the order. */
  newCustomerDays: number;
  /** Orders needed to be "loyal" (while recent). */
  loyalMinOrders: number;
  /** The shop's average gap between a customer's purchase days. */
  shopAvgDaysBetweenOrders: number;
  /** Weight of the shop average, in gaps, when estimating a customer's own cadence. */
  cadencePriorWeight: number;
  minCadenceDays: number;
  maxCadenceDays: number;
  activeMultiple: number;
  atRiskMultiple: number;
  lapsingMultiple: number;
}

/**
 * Defaults: new for 30 days; loyal from 4 orders; a 60-day shop cadence (typical of repeat-buying
 * consumer goods; pass the shop's own); 2 gaps of prior weight; cadence within [7, 365] days; and
 * 1.5 / 3 / 5 expected gaps to the at_risk / lapsing / lost boundaries — so with g = 60 days: active
 * ≤ 90, at_risk ≤ 180, lapsing ≤ 300, lost beyond.
 */
export const DEFAULT_LIFECYCLE_CONFIG: LifecycleConfig = {
  newCustomerDays: 30,
  loyalMinOrders: 4,
  shopAvgDaysBetweenOrders: 60,
  cadencePriorWeight: 2,
  minCadenceDays: 7,
  maxCadenceDays: 365,
  activeMultiple: 1.5,
  atRiskMultiple: 3,
  lapsingMultiple: 5,
};

function assertConfig(config: LifecycleConfig): void {
  const positive = Object.entries(config).filter(
    ([, value]) => !(Number.isFinite(value) && value > 0),
  );
  if (positive.length > 0) {
    throw new InvalidThresholdsError(
      `lifecycle settings must be > 0: ${positive.map(([k]) => k).join(", ")}`,
    );
  }
  if (!(
    config.activeMultiple < config.atRiskMultiple && config.atRiskMultiple < config.lapsingMultiple
  )) {
    throw new InvalidThresholdsError("need activeMultiple < atRiskMultiple < lapsingMultiple");
  }
  if (config.minCadenceDays > config.maxCadenceDays) {
    throw new InvalidThresholdsError("minCadenceDays must not exceed maxCadenceDays");
  }
}

/** The expected gap g of the module comment. */
export function expectedCadenceDays(metrics: LifecycleMetrics, config: LifecycleConfig): number {
  const own = metrics.avgDaysBetweenOrders;
  const gaps = own === null ? 0 : Math.max(0, metrics.ordersCount - 1);
  const blended =
    own === null
      ? config.shopAvgDaysBetweenOrders
      : (gaps * own + config.cadencePriorWeight * config.shopAvgDaysBetweenOrders) /
        (gaps + config.cadencePriorWeight);
  return Math.min(config.maxCadenceDays, Math.max(config.minCadenceDays, blended));
}

const DORMANT: readonly LifecycleStage[] = ["lapsing", "lost"];

/**
 * Stage precedence: prospect (no orders) → new (one order within newCustomerDays) → by recency.
 * Among recent customers, reactivated wins over loyal/active when the previous stage was lapsing
 * or lost (they have just come back), and stays while the latest order is the one that ended the
 * lapse (the gap before it exceeded atRiskMultiple · g, i.e. reached the lapsing range) — their
 * next ordinary order makes them active or loyal.
 *
 * @throws InvalidThresholdsError when a merchant-supplied setting is unusable.
 */
export function lifecycleStage(
  metrics: LifecycleMetrics,
  previousStage: LifecycleStage | null,
  config: Partial<LifecycleConfig> = {},
): LifecycleStage {
  const settings = { ...DEFAULT_LIFECYCLE_CONFIG, ...config };
  assertConfig(settings);
  const days = metrics.daysSinceLastOrder;
  if (metrics.ordersCount === 0 || days === null) return "prospect";
  if (metrics.ordersCount === 1 && days <= settings.newCustomerDays) return "new";

  const cadence = expectedCadenceDays(metrics, settings);
  if (days > settings.lapsingMultiple * cadence) return "lost";
  if (days > settings.atRiskMultiple * cadence) return "lapsing";
  if (days > settings.activeMultiple * cadence) return "at_risk";

  const returnedFromLapse =
    metrics.daysBetweenLastTwoOrders !== null &&
    metrics.daysBetweenLastTwoOrders > settings.atRiskMultiple * cadence;
  if (
    (previousStage !== null && DORMANT.includes(previousStage)) ||
    (previousStage === "reactivated" && returnedFromLapse)
  ) {
    return "reactivated";
  }
  return metrics.ordersCount >= settings.loyalMinOrders ? "loyal" : "active";
}
