/**
 * Chooses one placement's signal weights on validation cases. Each case's candidates and signals
 * are computed once (the same collectSignals the served entries use); a weight setting is then
 * scored by re-ranking those candidates with rankCandidates, the served ranking.
 *
 * Search: coordinate ascent from the better of the two baselines (bestsellers; buy again, then
 * bestsellers), each signal in turn taking its best value on a grid with the others fixed, two
 * passes (the second only when the first moved). The objective per case is hit@k + new-item hit@k + NDCG@k, so re-buys cannot win by
 * pushing every discovery off the list. The tuned weights go live only when they beat the best
 * baseline with a paired bootstrap interval above zero; otherwise that baseline is served.
 */
import { pairedBootstrapCi } from "./bootstrap";
import type { PlacementCase } from "./placement-cases";
import { BESTSELLER_WEIGHTS, BUY_AGAIN_WEIGHTS, type LiveMethod } from "./placements";

export type { LiveMethod };
import {
  collectSignals,
  rankCandidates,
  SIGNALS,
  type CandidateSignals,
  type ModelView,
  type Signal,
  type SignalWeights,
} from "./signals";

export interface TunedWeights {
  live: LiveMethod;
  weights: SignalWeights;
  /** Validation cases and the mean objective of each candidate method on them. */
  cases: number;
  objective: Record<LiveMethod, number>;
}

interface PreparedCase {
  signals: CandidateSignals;
  /** Per candidate: 1 relevant, 2 relevant and never bought before. */
  relevance: Uint8Array;
  relevantCount: number;
  hasFresh: boolean;
}

/** 1 / log2(rank + 2) for the first ranks, and their running sums (ideal DCG by hit count). */
const DISCOUNT = Array.from({ length: 64 }, (_, rank) => 1 / Math.log2(rank + 2));
const IDEAL = DISCOUNT.map((_, n) => DISCOUNT.slice(0, n).reduce((sum, d) => sum + d, 0));

const GRID = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8] as const;
const PASSES = 2;

export function prepareCases(
  cases: readonly PlacementCase[],
  viewAt: (asOf: Date) => ModelView,
): PreparedCase[] {
  return cases.map((c) => {
    const signals = collectSignals(c.request, viewAt(c.request.asOf));
    const relevance = new Uint8Array(signals.productIds.length);
    signals.productIds.forEach((id, i) => {
      if (c.fresh.has(id)) relevance[i] = 2;
      else if (c.relevant.has(id)) relevance[i] = 1;
    });
    return { signals, relevance, relevantCount: c.relevant.size, hasFresh: c.fresh.size > 0 };
  });
}

/** Per-case objective of one weight setting. */
function objectives(prepared: readonly PreparedCase[], weights: SignalWeights, k: number) {
  const values = new Float64Array(prepared.length);
  for (let i = 0; i < prepared.length; i++) {
    const c = prepared[i];
    if (!c) continue;
    const ranked = rankCandidates(c.signals, weights, k);
    let hit = 0;
    let freshHit = 0;
    let dcg = 0;
    for (let rank = 0; rank < ranked.length; rank++) {
      const relevance = c.relevance[ranked[rank] ?? 0] ?? 0;
      if (relevance === 0) continue;
      hit = 1;
      if (relevance === 2) freshHit = 1;
      dcg += DISCOUNT[rank] ?? 0;
    }
    const ideal = IDEAL[Math.min(c.relevantCount, k, IDEAL.length - 1)] ?? 0;
    values[i] = hit + (c.hasFresh ? freshHit : 0) + (ideal > 0 ? dcg / ideal : 0);
  }
  return values;
}

const mean = (values: Float64Array) =>
  values.length > 0 ? values.reduce((sum, v) => sum + v, 0) / values.length : 0;

export function tuneWeights(
  prepared: readonly PreparedCase[],
  signals: readonly Signal[],
  k: number,
): TunedWeights {
  const bestsellers = objectives(prepared, BESTSELLER_WEIGHTS, k);
  const buyAgain = objectives(prepared, BUY_AGAIN_WEIGHTS, k);
  const baseline: { live: LiveMethod; weights: SignalWeights; values: Float64Array } =
    mean(buyAgain) > mean(bestsellers)
      ? { live: "buy_again", weights: BUY_AGAIN_WEIGHTS, values: buyAgain }
      : { live: "bestsellers", weights: BESTSELLER_WEIGHTS, values: bestsellers };

  const start = startingWeights(baseline.weights);
  let best = { weights: start, values: objectives(prepared, start, k) };
  for (let pass = 0, improved = true; pass < PASSES && improved; pass++) {
    improved = false;
    for (const signal of signals) {
      for (const value of GRID) {
        if (value === best.weights[signal]) continue;
        const weights = { ...best.weights, [signal]: value };
        if (SIGNALS.every((s) => weights[s] === 0)) continue;
        const values = objectives(prepared, weights, k);
        if (mean(values) > mean(best.values)) {
          best = { weights, values };
          improved = true;
        }
      }
    }
  }

  const differences = best.values.map((value, i) => value - (baseline.values[i] ?? 0));
  const [low] = pairedBootstrapCi(differences);
  const personalized = low > 0;
  return {
    live: personalized ? "personalized" : baseline.live,
    weights: personalized ? best.weights : baseline.weights,
    cases: prepared.length,
    objective: {
      personalized: mean(best.values),
      bestsellers: mean(bestsellers),
      buy_again: mean(buyAgain),
    },
  };
}

/** The baseline on the search grid: buy-again's large own-count weight becomes the grid's top. */
function startingWeights(weights: SignalWeights): SignalWeights {
  const top = GRID[GRID.length - 1] ?? 1;
  return Object.fromEntries(
    SIGNALS.map((signal) => [signal, Math.min(top, weights[signal])]),
  ) as SignalWeights;
}
