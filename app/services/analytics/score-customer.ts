/**
 * One customer's stored analytics from their purchase summary and the shop model: RFM scores and
 * segment, lifecycle stage (given the stage they had), and the BG/NBD / Gamma-Gamma predictions.
 *
 * The predictions depend on the purchase history only through (x, tₓ, T), which many customers
 * share (every one-time buyer from the same day, for a start), so a recompute keeps a cache of
 * them per run: a shop-wide pass evaluates each distinct history once.
 */
import {
  conditionalExpectation,
  expectedNextPurchaseIn,
  interPurchaseTimeAsOfLastPurchase,
  probabilityAlive,
  type BgNbdSummary,
} from "./models/bgnbd";
import type { CustomerMetrics, CustomerSummary } from "./models/customer-summary";
import { conditionalExpectedOrderValue, discountedExpectedPurchases } from "./models/gamma-gamma";
import { lifecycleStage, type LifecycleConfig, type LifecycleStage } from "./models/lifecycle";
import {
  rfmSegment,
  scoreRfm,
  type RfmScores,
  type RfmSegment,
  type RfmThresholds,
} from "./models/rfm";
import { lifecycleConfigFor, type AnalyticsSettings } from "./settings";
import { effectiveRfmThresholds, type ShopModel } from "./shop-model";

const MS_PER_DAY = 86_400_000;
/** A predicted date needs to be right to the day, not to double precision. */
const NEXT_ORDER_TOLERANCE_DAYS = 0.5;

export interface PurchaseOutlook {
  probAlive: number;
  expectedOrders30d: number;
  expectedOrders90d: number;
  expectedOrders365d: number;
  /** Discounted expected purchases over the CLV horizon (CLV = this × expected order value). */
  discountedPurchases: number;
  /** Days until one more purchase is expected; null when none is expected. */
  nextOrderInDays: number | null;
}

export interface CustomerScore {
  metrics: CustomerMetrics;
  rfm: (RfmScores & { segment: RfmSegment }) | null;
  lifecycleStage: LifecycleStage;
  outlook: PurchaseOutlook | null;
  expectedOrderValue: number | null;
  predictedClv: number | null;
  predictedNextOrderAt: Date | null;
  /**
   * Latest order + the expected gap to the next one as of that order: unlike
   * predictedNextOrderAt it does not move while the customer is silent, so it can pass.
   */
  nextOrderDueAt: Date | null;
}

export interface ScoringContext {
  model: ShopModel;
  settings: AnalyticsSettings;
  rfmThresholds: RfmThresholds;
  /** The shop's lifecycle rules, resolved once per run rather than once per customer. */
  lifecycleConfig: LifecycleConfig;
  /** The moment the scores are for; day counts in the summaries are as of its calendar day. */
  asOf: Date;
  outlookCache: Map<string, PurchaseOutlook>;
}

/** Everything a run scores customers against; the outlook cache lives for that run only. */
export function scoringContext(
  model: ShopModel,
  settings: AnalyticsSettings,
  asOf: Date,
): ScoringContext {
  return {
    model,
    settings,
    rfmThresholds: effectiveRfmThresholds(model, settings),
    lifecycleConfig: lifecycleConfigFor(settings, model.shopAvgDaysBetween),
    asOf,
    outlookCache: new Map(),
  };
}

function purchaseOutlook(context: ScoringContext, history: BgNbdSummary): PurchaseOutlook {
  const key = `${history.x}|${history.tx}|${history.T}`;
  const cached = context.outlookCache.get(key);
  if (cached) return cached;
  const params = context.model.bgnbd.params;
  const { clvHorizonDays, monthlyDiscountRate } = context.settings;
  const expected = conditionalExpectation(params, history);
  const outlook: PurchaseOutlook = {
    probAlive: probabilityAlive(params, history),
    expectedOrders30d: expected(30),
    expectedOrders90d: expected(90),
    expectedOrders365d: expected(365),
    discountedPurchases: discountedExpectedPurchases(
      params,
      history,
      clvHorizonDays,
      monthlyDiscountRate,
    ),
    nextOrderInDays: expectedNextPurchaseIn(params, history, undefined, NEXT_ORDER_TOLERANCE_DAYS),
  };
  context.outlookCache.set(key, outlook);
  return outlook;
}

export function scoreCustomer(
  summary: CustomerSummary,
  previousStage: LifecycleStage | null,
  context: ScoringContext,
): CustomerScore {
  const { metrics, bgnbd } = summary;
  const stage = lifecycleStage(metrics, previousStage, context.lifecycleConfig);
  if (bgnbd === null || metrics.daysSinceLastOrder === null) {
    return {
      metrics,
      rfm: null,
      lifecycleStage: stage,
      outlook: null,
      expectedOrderValue: null,
      predictedClv: null,
      predictedNextOrderAt: null,
      nextOrderDueAt: null,
    };
  }
  const scores = scoreRfm(
    {
      recencyDays: metrics.daysSinceLastOrder,
      frequency: metrics.ordersCount,
      monetary: metrics.netRevenue,
    },
    context.rfmThresholds,
  );
  const outlook = purchaseOutlook(context, bgnbd);
  const orderValue = conditionalExpectedOrderValue(
    context.model.gammaGamma.params,
    bgnbd.x,
    summary.zbar,
  );
  return {
    metrics,
    rfm: { ...scores, segment: rfmSegment(scores.r, scores.f, scores.m) },
    lifecycleStage: stage,
    outlook,
    expectedOrderValue: orderValue,
    predictedClv: orderValue * outlook.discountedPurchases,
    predictedNextOrderAt:
      outlook.nextOrderInDays === null
        ? null
        : new Date(context.asOf.getTime() + outlook.nextOrderInDays * MS_PER_DAY),
    nextOrderDueAt:
      metrics.lastOrderAt === null
        ? null
        : new Date(
            metrics.lastOrderAt.getTime() +
              interPurchaseTimeAsOfLastPurchase(context.model.bgnbd.params, bgnbd) * MS_PER_DAY,
          ),
  };
}
