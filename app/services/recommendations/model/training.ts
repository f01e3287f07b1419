/**
 * A shop's recommender training, the same procedure for the nightly rebuild and for the offline
 * evaluation of any store's orders:
 *  1. validation: hold out each customer's second-to-last order, fit on the rest, and tune each
 *     placement's weights on those orders (lifecycle: per stage group, when the group has enough
 *     orders to tune on, else the for_you weights) — see tuning.ts;
 *  2. test: hold out each customer's last order, fit on the rest, and report every placement's
 *     served lists against bestsellers and "buy again" — figures tuning never saw.
 * The caller then fits the model it serves on all orders with the chosen policy.
 */
import { seededRandom } from "~/lib/seeded-random";
import { fitModel, inMemoryViews } from "./fit";
import { holdOut, withoutOrders, type HeldOutOrder, type Split } from "./holdout";
import { placementCases, type PlacementCase } from "./placement-cases";
import { comparePlacement, type PlacementComparison } from "./placement-report";
import {
  PLACEMENTS,
  POLICY_KEYS,
  STAGE_GROUPS,
  stageGroupOf,
  type Placement,
  type PolicyKey,
  type ServingPolicy,
} from "./placements";
import type { PurchaseIndex } from "./purchase-index";
import { dayOf } from "./recent-bestsellers";
import { SIGNALS, type ModelView, type Signal } from "./signals";
import { shopCadenceDays } from "./stage-at";
import { prepareCases, tuneWeights, type TunedWeights } from "./tuning";

export interface TrainingOptions {
  /** List length scored (hit@k and friends). */
  k: number;
  /** Held-out orders used per split at most (a seeded sample of customers beyond that). */
  maxCustomers: number;
  seed: number;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  k: 10,
  maxCustomers: 4000,
  seed: 7,
};

/** A lifecycle stage group with fewer validation orders borrows the for_you weights. */
const MIN_GROUP_CASES = 150;

const CONTEXT_SIGNALS: readonly Signal[] = ["contextKnn", "contextEase"];
const PERSONAL_SIGNALS = SIGNALS.filter((signal) => !CONTEXT_SIGNALS.includes(signal));

export interface TrainingResult {
  policy: ServingPolicy;
  tuning: Record<PolicyKey, TunedWeights>;
  /** Customers with a held-out last order, before sampling. */
  customers: number;
  test: Record<Placement, PlacementComparison>;
}

export function trainRecommender(
  index: PurchaseIndex,
  options: Partial<TrainingOptions> = {},
): TrainingResult {
  const settings = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  const validation = splitFor(index, "validation", settings);
  const tuning = tunePolicy(validation, settings);
  const policy = Object.fromEntries(
    POLICY_KEYS.map((key) => [key, tuning[key].weights]),
  ) as ServingPolicy;

  const test = splitFor(index, "test", settings);
  const report = Object.fromEntries(
    PLACEMENTS.map((placement) => [
      placement,
      comparePlacement(placement, test.cases(placement), test.viewAt, policy, test.catalogueSize),
    ]),
  ) as Record<Placement, PlacementComparison>;
  return { policy, tuning, customers: test.customers, test: report };
}

interface SplitData {
  customers: number;
  catalogueSize: number;
  viewAt: (asOf: Date) => ModelView;
  cases: (placement: Placement) => PlacementCase[];
}

function splitFor(index: PurchaseIndex, split: Split, settings: TrainingOptions): SplitData {
  const { targets, hidden } = holdOut(index, split);
  const sampled = sample(targets, settings.maxCustomers, seededRandom(settings.seed));
  const training = withoutOrders(index, hidden);
  const fitted = fitModel(training, new Date(training.maxTimeMs));
  const days = sampled.map(({ order }) => dayOf(new Date(index.orderTimeMs[order] ?? 0)));
  const shopCadence = shopCadenceDays(training);
  const catalogueSize = new Set(training.orderItems).size;
  return {
    customers: targets.length,
    catalogueSize,
    viewAt: inMemoryViews(fitted, days),
    // The same seed per placement, so every placement sees the same customers' contexts.
    cases: (placement) =>
      placementCases(index, sampled, placement, {
        k: settings.k,
        shopCadence,
        random: seededRandom(settings.seed + 1),
      }),
  };
}

function tunePolicy(
  validation: SplitData,
  settings: TrainingOptions,
): Record<PolicyKey, TunedWeights> {
  const tune = (cases: readonly PlacementCase[], signals: readonly Signal[]) =>
    tuneWeights(prepareCases(cases, validation.viewAt), signals, settings.k);
  const forYou = tune(validation.cases("for_you"), PERSONAL_SIGNALS);
  const lifecycleCases = validation.cases("lifecycle");
  const byGroup = Object.fromEntries(
    STAGE_GROUPS.map((group) => {
      const cases = lifecycleCases.filter((c) => stageGroupOf(c.request.stage) === group);
      const tuned = cases.length >= MIN_GROUP_CASES ? tune(cases, PERSONAL_SIGNALS) : forYou;
      return [`lifecycle_${group}`, tuned];
    }),
  );
  return {
    for_you: forYou,
    product_page: tune(validation.cases("product_page"), SIGNALS),
    cart: tune(validation.cases("cart"), SIGNALS),
    ...byGroup,
  } as Record<PolicyKey, TunedWeights>;
}

/** At most `max` targets, a seeded sample in the original order. */
function sample(
  targets: readonly HeldOutOrder[],
  max: number,
  random: () => number,
): HeldOutOrder[] {
  if (targets.length <= max) return [...targets];
  const keyed = targets.map((target) => ({ target, key: random() }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed
    .slice(0, max)
    .map(({ target }) => target)
    .sort((a, b) => a.customer - b.customer);
}
