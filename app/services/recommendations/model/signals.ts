/**
 * The signals every placement ranks by, computed for one request from whatever model view
 * serves it (the stored model on the storefront, an in-memory one in training):
 *  - popularity: long-run bestsellers (share of orders);
 *  - recentPopularity: the same with a 30-day half-life (what sells now);
 *  - ownCount: how many of the shopper's orders contained the product;
 *  - rebuy: the product's repurchase rate × how due it is (time since the shopper last bought
 *    it against the product's typical interval, blended with the shopper's own gaps);
 *  - historyKnn / historyEase: votes of the shopper's products through the item-kNN and EASE
 *    edges for products they have not bought yet, weighted by how recently each voter was
 *    bought (discovery; re-buys are ownCount's and rebuy's, so weights can mix the two);
 *  - contextKnn / contextEase: votes of the viewed or carted products;
 *  - viewed: the shopper's recently viewed products themselves (web pixel), by how often and
 *    how lately (a 7-day half-life): what someone keeps looking at, they often buy;
 *  - viewKnn / viewEase: votes of those recently viewed products through the item edges, so a
 *    visitor without a single order gets item-to-item recommendations of their own.
 * Each signal is scaled to [0, 1] by its maximum over the candidates, so weights learned on one
 * shop's validation orders mean the same for every request. Candidates are the top POOL
 * products of each signal: nothing outside them can reach a short list under any weights that
 * do not already put one of them first.
 */
import { summariseHistory } from "./customer-history";
import type { RepurchaseStats } from "./repurchase";
import type { HistoryEntry, ScoredProduct } from "./types";
import { MS_PER_DAY } from "./types";

export const SIGNALS = [
  "popularity",
  "recentPopularity",
  "ownCount",
  "rebuy",
  "historyKnn",
  "historyEase",
  "contextKnn",
  "contextEase",
  "viewed",
  "viewKnn",
  "viewEase",
] as const;
export type Signal = (typeof SIGNALS)[number];
export type SignalWeights = Readonly<Record<Signal, number>>;

const S = SIGNALS.length;
const SIGNAL_INDEX = new Map(SIGNALS.map((signal, i) => [signal, i]));
const signalIndex = (signal: Signal) => SIGNAL_INDEX.get(signal) ?? 0;
const POPULARITY = signalIndex("popularity");
const RECENT = signalIndex("recentPopularity");
const OWN_COUNT = signalIndex("ownCount");
const REBUY = signalIndex("rebuy");
const HISTORY_KNN = signalIndex("historyKnn");
const HISTORY_EASE = signalIndex("historyEase");
const CONTEXT_KNN = signalIndex("contextKnn");
const CONTEXT_EASE = signalIndex("contextEase");
const VIEWED = signalIndex("viewed");
const VIEW_KNN = signalIndex("viewKnn");
const VIEW_EASE = signalIndex("viewEase");

/** Candidates taken from each signal. */
const POOL = 100;
/** Half-life of a past purchase's vote through the item edges. */
const HISTORY_HALF_LIFE_DAYS = 180;
/** Half-life of a product view: browsing intent fades within days, not months. */
const VIEW_HALF_LIFE_DAYS = 7;

/** What ranking needs from a model, whether stored or in memory. */
export interface ModelView {
  /** Long-run bestsellers, best first. */
  popular: readonly ScoredProduct[];
  /** Bestsellers of the last weeks, best first. */
  recentPopular: readonly ScoredProduct[];
  itemEdges(productId: string): ItemEdges | undefined;
  repurchase(productId: string): RepurchaseStats | undefined;
}

export interface ItemEdges {
  knn: readonly ScoredProduct[];
  ease: readonly ScoredProduct[];
}

export interface SignalRequest {
  /** The signed-in shopper's purchases (empty for anonymous shoppers). */
  history: readonly HistoryEntry[];
  /** The viewed product or the cart's products; never recommended back. */
  context: readonly string[];
  /** The shopper's recent product views before `asOf`, newest first (none when unknown). */
  views?: readonly HistoryEntry[];
  asOf: Date;
}

/** Candidates with their signals, row-major: values[c * SIGNALS.length + s]. */
export interface CandidateSignals {
  productIds: string[];
  values: Float64Array;
}

export function collectSignals(request: SignalRequest, model: ModelView): CandidateSignals {
  const asOfMs = request.asOf.getTime();
  const excluded = new Set(request.context);
  // One row of raw signal values per candidate in one flat table: a single map lookup per vote.
  const rowOf = new Map<string, number>();
  const productIds: string[] = [];
  const table: number[] = [];
  const add = (s: number, productId: string, value: number) => {
    if (!(value > 0) || excluded.has(productId)) return;
    let row = rowOf.get(productId);
    if (row === undefined) {
      row = productIds.length;
      rowOf.set(productId, row);
      productIds.push(productId);
      for (let k = 0; k < S; k++) table.push(0);
    }
    table[row * S + s] = (table[row * S + s] ?? 0) + value;
  };

  for (const product of model.popular.slice(0, POOL)) {
    add(POPULARITY, product.productId, product.score);
  }
  for (const product of model.recentPopular.slice(0, POOL)) {
    add(RECENT, product.productId, product.score);
  }
  const bought = summariseHistory(request.history, asOfMs, HISTORY_HALF_LIFE_DAYS);
  for (const own of bought.values()) {
    add(OWN_COUNT, own.productId, own.purchases);
    const stats = model.repurchase(own.productId);
    if (stats) add(REBUY, own.productId, stats.rate * dueness(own, stats, asOfMs));
    const edges = model.itemEdges(own.productId);
    for (const edge of edges?.knn ?? []) {
      if (!bought.has(edge.productId)) add(HISTORY_KNN, edge.productId, own.recency * edge.score);
    }
    for (const edge of edges?.ease ?? []) {
      if (!bought.has(edge.productId)) add(HISTORY_EASE, edge.productId, own.recency * edge.score);
    }
  }
  const viewed = summariseHistory(request.views ?? [], asOfMs, VIEW_HALF_LIFE_DAYS);
  for (const view of viewed.values()) {
    add(VIEWED, view.productId, view.recency);
    const edges = model.itemEdges(view.productId);
    for (const edge of edges?.knn ?? []) add(VIEW_KNN, edge.productId, view.recency * edge.score);
    for (const edge of edges?.ease ?? []) add(VIEW_EASE, edge.productId, view.recency * edge.score);
  }
  for (const productId of excluded) {
    const edges = model.itemEdges(productId);
    for (const edge of edges?.knn ?? []) add(CONTEXT_KNN, edge.productId, edge.score);
    for (const edge of edges?.ease ?? []) add(CONTEXT_EASE, edge.productId, edge.score);
  }
  // Popularity stays a signal of every candidate, so ties and thin histories rank sensibly.
  const share = shareOf(model.popular);
  productIds.forEach((productId, row) => (table[row * S + POPULARITY] = share.get(productId) ?? 0));
  // Every candidate carries popularity; the POOL-th bestseller's share is where its pool ends.
  const popularFloor = model.popular[Math.min(POOL, model.popular.length) - 1]?.score ?? 0;
  return tabulate(productIds, Float64Array.from(table), model.popular[0]?.score ?? 0, popularFloor);
}

/** Product → score of a popularity list, built once per list (a model's lists never change). */
const shares = new WeakMap<readonly ScoredProduct[], ReadonlyMap<string, number>>();
function shareOf(list: readonly ScoredProduct[]): ReadonlyMap<string, number> {
  let share = shares.get(list);
  if (!share) {
    share = new Map(list.map((product) => [product.productId, product.score]));
    shares.set(list, share);
  }
  return share;
}

/**
 * 1 when the time since the last purchase equals the expected interval, falling off on a log
 * scale: quickly before (just bought it), slowly after (overdue stays worth showing).
 */
export function dueness(
  own: { purchases: number; firstAtMs: number; lastAtMs: number },
  stats: RepurchaseStats,
  asOfMs: number,
): number {
  const gaps = own.purchases - 1;
  const ownInterval = gaps > 0 ? (own.lastAtMs - own.firstAtMs) / MS_PER_DAY / gaps : 0;
  // The shopper's own rhythm counts as much as two gaps' worth of evidence allows.
  const interval =
    ownInterval > 0
      ? (gaps * ownInterval + 2 * stats.intervalDays) / (gaps + 2)
      : stats.intervalDays;
  const elapsed = Math.max(0.5, (asOfMs - own.lastAtMs) / MS_PER_DAY);
  const x = Math.log(elapsed / Math.max(1, interval));
  const spread = x < 0 ? 0.7 : 1.5;
  return Math.exp(-0.5 * (x / spread) * (x / spread));
}

/** Keeps each signal's top POOL candidates and scales every signal to [0, 1]. */
function tabulate(
  productIds: readonly string[],
  table: Float64Array,
  popularityScale: number,
  popularFloor: number,
): CandidateSignals {
  const count = productIds.length;
  const kept = new Uint8Array(count);
  const scales = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let positives = 0;
    let max = 0;
    for (let c = 0; c < count; c++) {
      const value = table[c * S + s] ?? 0;
      if (value > 0) positives++;
      if (value > max) max = value;
    }
    scales[s] = s === POPULARITY ? popularityScale : max;
    // With more than POOL candidates, only those at or above the POOL-th value stay.
    let threshold = Number.MIN_VALUE;
    if (s === POPULARITY) threshold = Math.max(popularFloor, Number.MIN_VALUE);
    else if (positives > POOL) threshold = poolThreshold(table, s, count);
    for (let c = 0; c < count; c++) if ((table[c * S + s] ?? 0) >= threshold) kept[c] = 1;
  }
  const keptIds: string[] = [];
  const values: number[] = [];
  for (let c = 0; c < count; c++) {
    if (!kept[c]) continue;
    keptIds.push(productIds[c] ?? "");
    for (let s = 0; s < S; s++) values.push((table[c * S + s] ?? 0) / (scales[s] || 1));
  }
  return { productIds: keptIds, values: Float64Array.from(values) };
}

/** The POOL-th largest value of signal s. */
function poolThreshold(table: Float64Array, s: number, count: number): number {
  const column = new Float64Array(count);
  for (let c = 0; c < count; c++) column[c] = table[c * S + s] ?? 0;
  return column.sort()[count - POOL] ?? 0;
}

/** Popularity breaks ties, so equal personal scores fall back to what sells. */
const TIE_BREAK = 1e-6;

/** Candidate positions of the best `limit`, best first (ties by candidate order). */
export function rankCandidates(
  signals: CandidateSignals,
  weights: SignalWeights,
  limit: number,
): number[] {
  // Only the weighted signals are read: most settings weigh a few.
  const active: number[] = [];
  const activeWeights: number[] = [];
  SIGNALS.forEach((signal, s) => {
    const weight = weights[signal] + (s === POPULARITY ? TIE_BREAK : 0);
    if (weight !== 0) {
      active.push(s);
      activeWeights.push(weight);
    }
  });
  const top = new Int32Array(limit);
  const topScores = new Float64Array(limit);
  let size = 0;
  const { values } = signals;
  const count = signals.productIds.length;
  for (let c = 0; c < count; c++) {
    let score = 0;
    const base = c * S;
    for (let a = 0; a < active.length; a++) {
      score += (activeWeights[a] ?? 0) * (values[base + (active[a] ?? 0)] ?? 0);
    }
    if (!(score > 0) || (size === limit && score <= (topScores[limit - 1] ?? 0))) continue;
    // Insertion into the sorted top list; equal scores keep candidate order.
    let at = Math.min(size, limit - 1);
    while (at > 0 && (topScores[at - 1] ?? 0) < score) {
      top[at] = top[at - 1] ?? 0;
      topScores[at] = topScores[at - 1] ?? 0;
      at--;
    }
    top[at] = c;
    topScores[at] = score;
    if (size < limit) size++;
  }
  return Array.from(top.subarray(0, size));
}

/** Which signal carried a chosen candidate most, as the source the storefront reports. */
export function strongestSource(
  signals: CandidateSignals,
  c: number,
  weights: SignalWeights,
): ScoredProduct["source"] {
  let best: Signal = "popularity";
  let bestValue = -1;
  for (const signal of SIGNALS) {
    const value = weights[signal] * (signals.values[c * S + signalIndex(signal)] ?? 0);
    if (value > bestValue) {
      best = signal;
      bestValue = value;
    }
  }
  return SOURCE_OF_SIGNAL[best];
}

const SOURCE_OF_SIGNAL: Record<Signal, ScoredProduct["source"]> = {
  popularity: "popular",
  recentPopularity: "trending",
  ownCount: "repurchase",
  rebuy: "repurchase",
  historyKnn: "neighbours",
  historyEase: "neighbours",
  contextKnn: "neighbours",
  contextEase: "neighbours",
  viewed: "viewed",
  viewKnn: "neighbours",
  viewEase: "neighbours",
};
