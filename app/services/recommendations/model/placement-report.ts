/**
 * Scores one placement's served lists against the bestseller list and "buy again, then
 * bestsellers" on held-out cases: hit@k, NDCG@k, recall@k, catalogue coverage and new-item hit@k
 * (hits among products the customer never bought, over cases that have any), plus a paired
 * bootstrap interval of ours − bestsellers in hit@k. Our lists come from the placement's served
 * entry, so what is measured is what shoppers get.
 */
import { pairedBootstrapCi } from "./bootstrap";
import { hitAtK, ndcgAtK, recallAtK } from "./metrics";
import type { PlacementCase } from "./placement-cases";
import {
  BESTSELLER_WEIGHTS,
  BUY_AGAIN_WEIGHTS,
  PLACEMENT_ENTRIES,
  type Placement,
  type ServingPolicy,
} from "./placements";
import { collectSignals, rankCandidates, type ModelView, type SignalWeights } from "./signals";

export interface RankingMetrics {
  hit_at_10: number;
  ndcg_at_10: number;
  recall_at_10: number;
  coverage: number;
  new_item_hit_at_10: number;
}

export interface PlacementComparison {
  customers: number;
  ours: RankingMetrics;
  popularity: RankingMetrics;
  rebuy_popularity: RankingMetrics;
  hit_at_10_diff_ci95: [number, number];
}

type Ranker = "ours" | "popularity" | "rebuy_popularity";
const RANKERS: readonly Ranker[] = ["ours", "popularity", "rebuy_popularity"];

export function comparePlacement(
  placement: Placement,
  cases: readonly PlacementCase[],
  viewAt: (asOf: Date) => ModelView,
  policy: ServingPolicy,
  catalogueSize: number,
): PlacementComparison {
  const served = PLACEMENT_ENTRIES[placement];
  const totals = new Map(RANKERS.map((ranker) => [ranker, new MetricSums()]));
  const differences = new Float64Array(cases.length);
  cases.forEach((c, i) => {
    const view = viewAt(c.request.asOf);
    // The baselines rank the same candidates; ours is whatever the served entry answers.
    const signals = collectSignals(c.request, view);
    const baseline = (weights: SignalWeights) =>
      rankCandidates(signals, weights, c.request.limit).map((k) => signals.productIds[k] ?? "");
    const lists: Record<Ranker, string[]> = {
      ours: served(c.request, view, policy).map((product) => product.productId),
      popularity: baseline(BESTSELLER_WEIGHTS),
      rebuy_popularity: baseline(BUY_AGAIN_WEIGHTS),
    };
    const hits = {} as Record<Ranker, number>;
    for (const ranker of RANKERS) {
      hits[ranker] = totals.get(ranker)?.add(lists[ranker], c, c.request.limit) ?? 0;
    }
    differences[i] = hits.ours - hits.popularity;
  });
  const result = (ranker: Ranker) =>
    totals.get(ranker)?.result(catalogueSize) ?? new MetricSums().result(catalogueSize);
  return {
    customers: cases.length,
    ours: result("ours"),
    popularity: result("popularity"),
    rebuy_popularity: result("rebuy_popularity"),
    hit_at_10_diff_ci95: pairedBootstrapCi(differences),
  };
}

class MetricSums {
  private cases = 0;
  private hit = 0;
  private ndcg = 0;
  private recall = 0;
  private freshCases = 0;
  private freshHit = 0;
  private readonly shown = new Set<string>();

  /** Adds one case's list; returns its hit. */
  add(ids: readonly string[], c: PlacementCase, k: number): number {
    const hit = hitAtK(ids, c.relevant, k);
    this.cases++;
    this.hit += hit;
    this.ndcg += ndcgAtK(ids, c.relevant, k);
    this.recall += recallAtK(ids, c.relevant, k);
    if (c.fresh.size > 0) {
      this.freshCases++;
      this.freshHit += hitAtK(ids, c.fresh, k);
    }
    for (const id of ids.slice(0, k)) this.shown.add(id);
    return hit;
  }

  result(catalogueSize: number): RankingMetrics {
    const mean = (sum: number, n: number) => (n > 0 ? sum / n : 0);
    return {
      hit_at_10: mean(this.hit, this.cases),
      ndcg_at_10: mean(this.ndcg, this.cases),
      recall_at_10: mean(this.recall, this.cases),
      coverage: mean(this.shown.size, catalogueSize),
      new_item_hit_at_10: mean(this.freshHit, this.freshCases),
    };
  }
}
