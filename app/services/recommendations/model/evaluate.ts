/**
 * Offline evaluation by holding out each customer's last order.
 *
 * Split (documented choice): a global split. Every held-out order is removed from training and
 * ONE model is trained on everything else, then each customer is scored on their held-out order
 * given only their own earlier orders. Other customers' purchases made after a customer's
 * held-out order can still be in training (mild leakage of later trends), traded for training
 * once instead of once per customer.
 *
 * "validation" holds out each customer's second-to-last order (customers with ≥ 3 orders) and
 * trains without the last TWO orders, so tuning never sees a test order.
 *
 * Two variants, because groceries are mostly re-bought:
 *  - allItems: previously bought products may be recommended and count as hits;
 *  - newItemsOnly: targets are held-out products the customer never bought before, and both
 *    recommenders leave previously bought products out; customers with no new products are skipped.
 * Our list is the blended recommender (own repeat frequency shrunk toward popularity, plus
 * item-to-item votes); the baseline is all-time popularity from the same training data.
 */
import { fillDistinct } from "./blend";
import { recommendBlended, type BlendedOptions } from "./blended";
import { buildItemToItemModel, type ItemToItemOptions } from "./item-to-item";
import { hitAtK, ndcgAtK } from "./metrics";
import { popularProducts } from "./popular";
import { priorsByDay } from "./prior-by-day";
import {
  customerOrderRange,
  historyOfOrders,
  indexPurchases,
  orderProducts,
  type PurchaseIndex,
} from "./purchase-index";
import type { Purchase, ScoredProduct } from "./types";

export type EvaluationSplit = "test" | "validation";

export interface EvaluationOptions {
  k: number;
  split: EvaluationSplit;
  /** Evaluate at most this many customers (in customer id order); training always uses all. */
  maxCustomers: number;
  itemToItem: Partial<ItemToItemOptions>;
  blended: Partial<Omit<BlendedOptions, "asOf" | "limit" | "allowPreviouslyBought" | "exclude">>;
  /**
   * Decay of the popularity prior inside our recommender; finite values use only orders before
   * each target's day. The baseline is always all-time popularity over the training orders.
   */
  priorHalfLifeDays: number;
}

export interface RankingScores {
  hitRate: number;
  ndcg: number;
}

export interface VariantResult {
  customers: number;
  ours: RankingScores;
  popularity: RankingScores;
  /** Ours without the personal terms: how much of the gain the time-aware prior alone brings. */
  priorOnly: RankingScores;
  /** Ours minus popularity in hit@k, with a 95% interval over customers (paired). */
  hitGain: { mean: number; low: number; high: number };
}

export interface EvaluationReport {
  k: number;
  split: EvaluationSplit;
  trainingOrders: number;
  allItems: VariantResult;
  newItemsOnly: VariantResult;
  timingsMs: { index: number; train: number; recommend: number };
}

interface HeldOutCustomer {
  customer: number;
  /** The evaluated order; earlier orders are the customer's history. */
  target: number;
}

export function evaluateRecommendations(
  purchases: readonly Purchase[],
  options: Partial<EvaluationOptions> = {},
): EvaluationReport {
  const k = options.k ?? 10;
  const split = options.split ?? "test";
  const started = performance.now();
  const full = indexPurchases(purchases);
  const { heldOut, removedOrderIds } = holdOut(full, split, options.maxCustomers ?? Infinity);
  const indexed = performance.now();

  const training = indexPurchases(purchases.filter((p) => !removedOrderIds.has(p.orderId)));
  const model = buildItemToItemModel(training, options.itemToItem);
  const priorAt = priorsByDay(training, options.priorHalfLifeDays ?? Infinity);
  const popular = popularProducts(training, { halfLifeDays: Infinity, limit: Infinity });
  const trained = performance.now();

  const allItems = new VariantAccumulator(k);
  const newItemsOnly = new VariantAccumulator(k);
  for (const { customer, target } of heldOut) {
    const [first] = customerOrderRange(full, customer);
    const history = historyOfOrders(full, first, target);
    const previouslyBought = new Set(history.map((entry) => entry.productId));
    const targetProducts = [...orderProducts(full, target)].map((p) => full.productIds[p] ?? "");
    const asOf = new Date(full.orderTimeMs[target] ?? 0);
    const ours = (allowPreviouslyBought: boolean): ScoredProduct[] =>
      recommendBlended(model, priorAt(asOf), history, {
        ...options.blended,
        asOf,
        limit: k,
        allowPreviouslyBought,
      });

    const prior = priorAt(asOf).ranked;

    allItems.add(new Set(targetProducts), {
      ours: ours(true),
      popularity: fillDistinct([popular], k),
      priorOnly: fillDistinct([prior], k),
    });
    const newTargets = new Set(targetProducts.filter((id) => !previouslyBought.has(id)));
    if (newTargets.size > 0) {
      newItemsOnly.add(newTargets, {
        ours: ours(false),
        popularity: fillDistinct([popular], k, previouslyBought),
        priorOnly: fillDistinct([prior], k, previouslyBought),
      });
    }
  }
  const recommended = performance.now();

  return {
    k,
    split,
    trainingOrders: training.orderIds.length,
    allItems: allItems.result(),
    newItemsOnly: newItemsOnly.result(),
    timingsMs: {
      index: indexed - started,
      train: trained - indexed,
      recommend: recommended - trained,
    },
  };
}

/** Chooses each evaluated customer's target order and every order training must not see. */
function holdOut(
  index: PurchaseIndex,
  split: EvaluationSplit,
  maxCustomers: number,
): { heldOut: HeldOutCustomer[]; removedOrderIds: Set<string> } {
  const heldOut: HeldOutCustomer[] = [];
  const removedOrderIds = new Set<string>();
  const targetFromEnd = split === "test" ? 1 : 2;
  for (let c = 0; c < index.customerIds.length; c++) {
    const [first, end] = customerOrderRange(index, c);
    if (index.customerIds[c] === null || end - first < 2) continue;
    // Test orders are never trained on, in either split; validation also removes its targets.
    const removedFrom = Math.max(first + 1, end - targetFromEnd);
    for (let o = removedFrom; o < end; o++) removedOrderIds.add(index.orderIds[o] ?? "");
    const target = end - targetFromEnd;
    if (target > first && heldOut.length < maxCustomers) heldOut.push({ customer: c, target });
  }
  return { heldOut, removedOrderIds };
}

type Ranker = Exclude<keyof VariantResult, "customers" | "hitGain">;
const RANKERS: readonly Ranker[] = ["ours", "popularity", "priorOnly"];

class VariantAccumulator {
  private customers = 0;
  private readonly sums = new Map<Ranker, RankingScores>(
    RANKERS.map((ranker) => [ranker, { hitRate: 0, ndcg: 0 }]),
  );

  /** Per-customer differences in hit@k (ours − popularity): sum and sum of squares. */
  private gainSum = 0;
  private gainSquares = 0;

  constructor(private readonly k: number) {}

  add(relevant: ReadonlySet<string>, lists: Record<Ranker, readonly ScoredProduct[]>): void {
    this.customers++;
    const hits = {} as Record<Ranker, number>;
    for (const ranker of RANKERS) {
      const ids = lists[ranker].map((product) => product.productId);
      hits[ranker] = hitAtK(ids, relevant, this.k);
      const sum = this.sums.get(ranker);
      if (!sum) continue;
      sum.hitRate += hits[ranker];
      sum.ndcg += ndcgAtK(ids, relevant, this.k);
    }
    const gain = hits.ours - hits.popularity;
    this.gainSum += gain;
    this.gainSquares += gain * gain;
  }

  /** Mean paired difference with a normal 95% interval (n is in the thousands). */
  private hitGain() {
    const n = Math.max(1, this.customers);
    const mean = this.gainSum / n;
    const variance = Math.max(0, this.gainSquares / n - mean * mean) * (n / Math.max(1, n - 1));
    const half = 1.96 * Math.sqrt(variance / n);
    return { mean, low: mean - half, high: mean + half };
  }

  result(): VariantResult {
    const mean = (ranker: Ranker): RankingScores => {
      const sum = this.sums.get(ranker) ?? { hitRate: 0, ndcg: 0 };
      const n = Math.max(1, this.customers);
      return { hitRate: sum.hitRate / n, ndcg: sum.ndcg / n };
    };
    return {
      customers: this.customers,
      ours: mean("ours"),
      popularity: mean("popularity"),
      priorOnly: mean("priorOnly"),
      hitGain: this.hitGain(),
    };
  }
}
