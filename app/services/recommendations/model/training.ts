/**
 * A shop's recommender training, the same procedure for the nightly rebuild and for the offline
 * evaluation of any store's orders. One model is fitted without each customer's last two orders;
 *  1. validation: each customer's second-to-last order tunes each placement's weights (lifecycle:
 *     per stage group, when the group has enough orders to tune on, else the for_you weights) —
 *     see tuning.ts;
 *  2. test: each customer's last order scores every placement's served lists against bestsellers
 *     and "buy again" — orders that neither the fit nor the tuning saw. (The customer's history
 *     for it includes the second-to-last order; only the item models are a few orders staler
 *     than a fit without the last orders alone would be, and one fit is spared.)
 * With the shop's product views (web pixel), every case carries the customer's views before
 * the order, so the view signals' weights are tuned on validation orders like the others, and
 * visitors whose only order followed views are held out too: half tune (as shoppers without
 * orders, next to the validation orders), half are scored from their views alone.
 * The caller then fits the model it serves on all orders with the chosen policy.
 */
import { seededRandom } from "~/lib/seeded-random";
import { fitModel, inMemoryViews } from "./fit";
import { holdOut, viewOnlyTargets, withoutOrders, type HeldOutOrder } from "./holdout";
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
import type { ViewIndex } from "./view-history";

export interface TrainingOptions {
  /** List length scored (hit@k and friends). */
  k: number;
  /** Held-out orders used per split at most (a seeded sample of customers beyond that). */
  maxCustomers: number;
  seed: number;
  /** Customers' product views; without them the view signals keep no weight. */
  views: ViewIndex | null;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  k: 10,
  maxCustomers: 3000,
  seed: 7,
  views: null,
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
  /** What the views did, when there were any. */
  views: ViewEvaluation | null;
}

export interface ViewEvaluation {
  /** Visitors whose only order followed views, served from their views alone (for_you). */
  visitors: PlacementComparison;
  /** Visitors whose order tuned the weights. */
  visitorsTuned: number;
  /** Test customers (with orders) who had views before their held-out order. */
  customersWithViews: number;
}

export function trainRecommender(
  index: PurchaseIndex,
  options: Partial<TrainingOptions> = {},
): TrainingResult {
  const settings = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  const validation = holdOut(index, "validation");
  const test = holdOut(index, "test");
  const random = seededRandom(settings.seed);
  const validationTargets = sample(validation.targets, settings.maxCustomers, random);
  const testTargets = sample(test.targets, settings.maxCustomers, random);
  const { views } = settings;
  // Their own seed, so adding views leaves the other splits' samples as they were.
  const visitors = halves(
    sample(
      views ? viewOnlyTargets(index, views) : [],
      settings.maxCustomers,
      seededRandom(settings.seed + 2),
    ),
  );
  const hidden = new Set(validation.hidden);
  for (const { order } of [...visitors.tune, ...visitors.test]) hidden.add(order);
  const training = withoutOrders(index, hidden);
  const fitted = fitModel(training, new Date(training.maxTimeMs));
  const days = [...validationTargets, ...testTargets, ...visitors.tune, ...visitors.test].map(
    ({ order }) => dayOf(new Date(index.orderTimeMs[order] ?? 0)),
  );
  const viewAt = inMemoryViews(fitted, days);
  const shopCadence = shopCadenceDays(training);
  // The same seed per placement, so every placement sees the same customers' contexts.
  const casesOf = (targets: readonly HeldOutOrder[]) => (placement: Placement) =>
    placementCases(index, targets, placement, {
      k: settings.k,
      shopCadence,
      random: seededRandom(settings.seed + 1),
      ...(views ? { views } : {}),
    });

  const tuning = tunePolicy(
    casesOf(validationTargets),
    casesOf(visitors.tune)("for_you"),
    viewAt,
    settings.k,
  );
  const policy = Object.fromEntries(
    POLICY_KEYS.map((key) => [key, tuning[key].weights]),
  ) as ServingPolicy;
  const testCases = casesOf(testTargets);
  const catalogueSize = new Set(training.orderItems).size;
  const report = Object.fromEntries(
    PLACEMENTS.map((placement) => [
      placement,
      comparePlacement(placement, testCases(placement), viewAt, policy, catalogueSize),
    ]),
  ) as Record<Placement, PlacementComparison>;
  const viewReport: ViewEvaluation | null = views
    ? {
        visitors: comparePlacement(
          "for_you",
          casesOf(visitors.test)("for_you"),
          viewAt,
          policy,
          catalogueSize,
        ),
        visitorsTuned: visitors.tune.length,
        customersWithViews: testCases("for_you").filter((c) => (c.request.views ?? []).length > 0)
          .length,
      }
    : null;
  return { policy, tuning, customers: test.targets.length, test: report, views: viewReport };
}

function tunePolicy(
  casesFor: (placement: Placement) => PlacementCase[],
  /** Visitors' first orders after views: shoppers without orders, tuned with for_you. */
  visitorCases: readonly PlacementCase[],
  viewAt: (asOf: Date) => ModelView,
  k: number,
): Record<PolicyKey, TunedWeights> {
  const tune = (cases: readonly PlacementCase[], signals: readonly Signal[]) =>
    tuneWeights(prepareCases(cases, viewAt), signals, k);
  // for_you and lifecycle ask the same question of the same orders (no page context); only
  // the weights differ by stage group, so their candidates and signals are gathered once.
  const personalCases = [...casesFor("for_you"), ...visitorCases];
  const personal = prepareCases(personalCases, viewAt);
  const forYou = tuneWeights(personal, PERSONAL_SIGNALS, k);
  const byGroup = Object.fromEntries(
    STAGE_GROUPS.map((group) => {
      const prepared = personal.filter(
        (_, i) => stageGroupOf(personalCases[i]?.request.stage ?? "prospect") === group,
      );
      const tuned =
        prepared.length >= MIN_GROUP_CASES ? tuneWeights(prepared, PERSONAL_SIGNALS, k) : forYou;
      return [`lifecycle_${group}`, tuned];
    }),
  );
  return {
    for_you: forYou,
    product_page: tune(casesFor("product_page"), SIGNALS),
    cart: tune(casesFor("cart"), SIGNALS),
    ...byGroup,
  } as Record<PolicyKey, TunedWeights>;
}

/** Alternate targets: one half tunes, the other is scored. */
function halves(targets: readonly HeldOutOrder[]): {
  tune: HeldOutOrder[];
  test: HeldOutOrder[];
} {
  return {
    tune: targets.filter((_, i) => i % 2 === 0),
    test: targets.filter((_, i) => i % 2 === 1),
  };
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
