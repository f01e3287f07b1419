/**
 * The one entry per placement. The storefront and the offline evaluation both call these, with
 * the policy the shop's own training chose (weights per placement; bestsellers or "buy again,
 * then bestsellers" are weight settings too, so a fallback is served by the same code):
 *  - for_you: a shopper with no page context (home page, account);
 *  - lifecycle: a signed-in shopper, with weights for their lifecycle stage group;
 *  - product_page: the viewed product as context;
 *  - cart: the cart's products as context.
 */
import {
  collectSignals,
  rankCandidates,
  SIGNALS,
  strongestSource,
  type ModelView,
  type SignalRequest,
  type SignalWeights,
} from "./signals";
import type { LifecycleStage, ScoredProduct } from "./types";

export const PLACEMENTS = ["for_you", "lifecycle", "product_page", "cart"] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Lifecycle stages grouped by what tends to work for them; each group has its own weights. */
export const STAGE_GROUPS = ["early", "active", "dormant"] as const;
export type StageGroup = (typeof STAGE_GROUPS)[number];

export function stageGroupOf(stage: LifecycleStage): StageGroup {
  if (stage === "prospect" || stage === "new") return "early";
  if (stage === "at_risk" || stage === "lapsing" || stage === "lost") return "dormant";
  return "active";
}

/** Where a policy keeps weights: one per placement, lifecycle one per stage group. */
export const POLICY_KEYS = [
  "for_you",
  "product_page",
  "cart",
  "lifecycle_early",
  "lifecycle_active",
  "lifecycle_dormant",
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];
export type ServingPolicy = Readonly<Record<PolicyKey, SignalWeights>>;

export const signalWeights = (
  values: Partial<Record<keyof SignalWeights, number>>,
): SignalWeights =>
  Object.fromEntries(SIGNALS.map((signal) => [signal, values[signal] ?? 0])) as SignalWeights;

/** The bestseller list a merchant would otherwise show. */
export const BESTSELLER_WEIGHTS = signalWeights({ popularity: 1 });
/** The shopper's own products, most bought first, then bestsellers. */
export const BUY_AGAIN_WEIGHTS = signalWeights({ ownCount: 1000, popularity: 1 });

/** The method a weight setting stands for, as reports name it. */
export function methodOf(weights: SignalWeights): LiveMethod {
  const same = (other: SignalWeights) =>
    SIGNALS.every((signal) => weights[signal] === other[signal]);
  if (same(BESTSELLER_WEIGHTS)) return "bestsellers";
  if (same(BUY_AGAIN_WEIGHTS)) return "buy_again";
  return "personalized";
}

export type LiveMethod = "personalized" | "bestsellers" | "buy_again";

const VIEW_SIGNALS = ["viewed", "viewKnn", "viewEase"] as const;

/** Whether any of the policy's weights reads the shopper's product views. */
export const policyUsesViews = (policy: ServingPolicy): boolean =>
  POLICY_KEYS.some((key) => VIEW_SIGNALS.some((signal) => policy[key][signal] !== 0));

/** Before a shop's first training: bestsellers everywhere. */
export const BESTSELLER_POLICY: ServingPolicy = Object.fromEntries(
  POLICY_KEYS.map((key) => [key, BESTSELLER_WEIGHTS]),
) as ServingPolicy;

export interface PlacementRequest extends SignalRequest {
  /** The shopper's lifecycle stage (lifecycle placement); prospect when unknown. */
  stage: LifecycleStage;
  limit: number;
}

export type PlacementEntry = (
  request: PlacementRequest,
  model: ModelView,
  policy: ServingPolicy,
) => ScoredProduct[];

export function policyKeyOf(placement: Placement, stage: LifecycleStage): PolicyKey {
  return placement === "lifecycle" ? `lifecycle_${stageGroupOf(stage)}` : placement;
}

/** Ranks one request with one weight setting; also what training scores candidates with. */
export function rankWithWeights(
  request: PlacementRequest,
  model: ModelView,
  weights: SignalWeights,
): ScoredProduct[] {
  const signals = collectSignals(request, model);
  return rankCandidates(signals, weights, request.limit).map((c, rank) => ({
    productId: signals.productIds[c] ?? "",
    // Rank-based, so fallbacks appended after this list never outrank it.
    score: request.limit - rank,
    source: strongestSource(signals, c, weights),
  }));
}

const entryFor =
  (placement: Placement): PlacementEntry =>
  (request, model, policy) =>
    rankWithWeights(request, model, policy[policyKeyOf(placement, request.stage)]);

export const recommendForYou = entryFor("for_you");
export const recommendForLifecycle = entryFor("lifecycle");
export const recommendForProductPage = entryFor("product_page");
export const recommendForCart = entryFor("cart");

/** The served entries by placement: the storefront and the evaluation both look them up here. */
export const PLACEMENT_ENTRIES: Readonly<Record<Placement, PlacementEntry>> = {
  for_you: recommendForYou,
  lifecycle: recommendForLifecycle,
  product_page: recommendForProductPage,
  cart: recommendForCart,
};
