/**
 * Item-to-item similarity from co-purchases. Two signals feed a pair's co-occurrence weight:
 *  - same basket: every order containing both products adds its time-decay weight;
 *  - order sequence: a customer who bought the products in different orders adds, once per
 *    customer, `sequenceWeight` × the best decayed, gap-discounted weight over their order pairs
 *    (once per customer so a weekly shopper does not outvote everyone else).
 * Similarity is cosine or lift (co · N / (nᵢ nⱼ)), times co / (co + shrinkage) so a pair seen once
 * cannot outrank a pair seen often. Cosine is the asymmetric form co / (nᵢ^(1−α) nⱼ^α): α = 0.5 is
 * plain cosine; smaller α moves toward P(j | i) and keeps more of j's popularity, which matters for
 * habitual baskets (groceries) where popular staples are what people buy next.
 * Only the top K neighbours per product are kept.
 *
 * Cost: the basket signal is Σ basket² per order; the sequence signal is bounded by pairing only
 * each customer's last `maxSequenceOrders` orders (older orders still count as baskets), so a
 * customer with thousands of orders costs at most maxSequenceOrders² order pairs per product.
 * Rows are computed one product at a time into a dense scratch array, so memory is O(P + K·P),
 * never O(P²).
 */
import { asPurchaseIndex, orderProducts, type PurchaseIndex } from "./purchase-index";
import { decayWeight } from "./time-decay";
import type { ItemGraph } from "./item-graph";
import type { Purchase } from "./types";
import { MS_PER_DAY } from "./types";

export interface ItemToItemOptions {
  /** Decay reference time; defaults to the latest purchase. */
  asOf?: Date;
  halfLifeDays: number;
  similarity: "cosine" | "lift";
  /** Asymmetric cosine exponent α (see above); ignored by lift. */
  cosineAlpha: number;
  /** In decayed co-purchase units: a pair with co = shrinkage keeps half its raw similarity. */
  shrinkage: number;
  neighbours: number;
  /** Weight of a cross-order pair relative to a same-basket pair. */
  sequenceWeight: number;
  /** Cross-order pairs lose half their weight per this many days between the orders. */
  sequenceGapHalfLifeDays: number;
  /** Cross-order pairs further apart than this are ignored. */
  sequenceWindowDays: number;
  /** Only a customer's most recent orders are paired with each other (see the cost note above). */
  maxSequenceOrders: number;
  /**
   * Exponent of the neighbour's inverse document frequency, log(1 + N / nⱼ), multiplied into
   * each similarity: 0 leaves popular neighbours as they are, 1 discounts them fully.
   */
  idfExponent: number;
}

export const DEFAULT_ITEM_TO_ITEM_OPTIONS: ItemToItemOptions = {
  halfLifeDays: 180,
  similarity: "cosine",
  cosineAlpha: 0.5,
  shrinkage: 2,
  neighbours: 50,
  sequenceWeight: 0.3,
  sequenceGapHalfLifeDays: 60,
  sequenceWindowDays: 365,
  maxSequenceOrders: 50,
  idfExponent: 0,
};

export function buildItemToItemModel(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<ItemToItemOptions> = {},
): ItemGraph {
  const index = asPurchaseIndex(input);
  const settings = { ...DEFAULT_ITEM_TO_ITEM_OPTIONS, ...options };
  const asOfMs = settings.asOf?.getTime() ?? index.maxTimeMs;
  const productCount = index.productIds.length;
  const orderDecay = index.orderTimeMs.map((t) => decayWeight(t, asOfMs, settings.halfLifeDays));
  const { itemOrderStart, itemOrders } = ordersByProduct(index);
  const sequenceOrderFloor = recentOrderFloor(index, settings.maxSequenceOrders);

  const itemWeight = new Float64Array(productCount);
  for (let p = 0; p < productCount; p++) {
    for (let k = itemOrderStart[p] ?? 0; k < (itemOrderStart[p + 1] ?? 0); k++) {
      itemWeight[p] = (itemWeight[p] ?? 0) + (orderDecay[itemOrders[k] ?? 0] ?? 0);
    }
  }
  const totalWeight = orderDecay.reduce((sum, w) => sum + w, 0);

  const scratch = new CoOccurrenceScratch(productCount);
  const customerBest = new CoOccurrenceScratch(productCount);
  const sequence = { index, orderDecay, orderFloor: sequenceOrderFloor, settings };
  const neighbourStart = new Int32Array(productCount + 1);
  const neighbourItems: number[] = [];
  const neighbourScores: number[] = [];
  const similarity = new Float64Array(productCount);

  for (let p = 0; p < productCount; p++) {
    scratch.reset();
    const first = itemOrderStart[p] ?? 0;
    const end = itemOrderStart[p + 1] ?? 0;
    for (let k = first; k < end; k++) {
      const o = itemOrders[k] ?? 0;
      const weight = orderDecay[o] ?? 0;
      forEachProductOf(index, o, p, (q) => scratch.add(q, weight));
    }
    if (settings.sequenceWeight > 0) {
      addSequencePairs(sequence, p, itemOrders.subarray(first, end), customerBest, scratch);
    }

    const weightP = itemWeight[p] ?? 0;
    let candidateCount = 0;
    for (let t = 0; t < scratch.touchedCount; t++) {
      const q = scratch.touched[t] ?? 0;
      const co = scratch.weight[q] ?? 0;
      const weightQ = itemWeight[q] ?? 0;
      const raw =
        settings.similarity === "cosine"
          ? co /
            (Math.pow(weightP, 1 - settings.cosineAlpha) * Math.pow(weightQ, settings.cosineAlpha))
          : (co * totalWeight) / (weightP * weightQ);
      const idf = Math.pow(Math.log(1 + totalWeight / weightQ), settings.idfExponent);
      const score = raw * (co / (co + settings.shrinkage)) * idf;
      if (!(score > 0) || !Number.isFinite(score)) continue;
      similarity[q] = score;
      scratch.candidates[candidateCount++] = q;
    }
    // Product indices follow product id order, so the index tie-break is the id tie-break.
    const ranked = scratch.candidates
      .subarray(0, candidateCount)
      .sort((a, b) => (similarity[b] ?? 0) - (similarity[a] ?? 0) || a - b);
    for (const q of ranked.subarray(0, settings.neighbours)) {
      neighbourItems.push(q);
      neighbourScores.push(similarity[q] ?? 0);
    }
    neighbourStart[p + 1] = neighbourItems.length;
  }

  return {
    productIds: index.productIds,
    productIndex: index.productIndex,
    neighbourStart,
    neighbourItems: Int32Array.from(neighbourItems),
    neighbourScores: Float64Array.from(neighbourScores),
  };
}

/**
 * Accumulates one sparse row over product indices (a sum or a running max) without clearing a
 * P-sized array each time: entries from an older generation read as absent.
 */
class CoOccurrenceScratch {
  readonly weight: Float64Array;
  readonly touched: Int32Array;
  readonly candidates: Int32Array;
  touchedCount = 0;
  private readonly stamp: Int32Array;
  private generation = 0;

  constructor(productCount: number) {
    this.weight = new Float64Array(productCount);
    this.touched = new Int32Array(productCount);
    this.candidates = new Int32Array(productCount);
    this.stamp = new Int32Array(productCount);
  }

  reset(): void {
    this.generation++;
    this.touchedCount = 0;
  }

  add(q: number, amount: number): void {
    if (this.stamp[q] !== this.generation) {
      this.stamp[q] = this.generation;
      this.weight[q] = 0;
      this.touched[this.touchedCount++] = q;
    }
    this.weight[q] = (this.weight[q] ?? 0) + amount;
  }

  keepMax(q: number, amount: number): void {
    if (this.stamp[q] !== this.generation) {
      this.stamp[q] = this.generation;
      this.weight[q] = amount;
      this.touched[this.touchedCount++] = q;
    } else if (amount > (this.weight[q] ?? 0)) {
      this.weight[q] = amount;
    }
  }
}

/** Visits order o's products except `skip`; index loops, since a subarray per order pair is slow. */
function forEachProductOf(
  index: PurchaseIndex,
  o: number,
  skip: number,
  visit: (q: number) => void,
): void {
  const end = index.orderItemStart[o + 1] ?? 0;
  for (let k = index.orderItemStart[o] ?? 0; k < end; k++) {
    const q = index.orderItems[k] ?? skip;
    if (q !== skip) visit(q);
  }
}

/** Inverted index: the orders containing each product, ascending (so grouped by customer). */
function ordersByProduct(index: PurchaseIndex): {
  itemOrderStart: Int32Array;
  itemOrders: Int32Array;
} {
  const productCount = index.productIds.length;
  const itemOrderStart = new Int32Array(productCount + 1);
  for (const p of index.orderItems) itemOrderStart[p + 1] = (itemOrderStart[p + 1] ?? 0) + 1;
  for (let p = 0; p < productCount; p++) {
    itemOrderStart[p + 1] = (itemOrderStart[p + 1] ?? 0) + (itemOrderStart[p] ?? 0);
  }
  const cursor = itemOrderStart.slice(0, productCount);
  const itemOrders = new Int32Array(index.orderItems.length);
  for (let o = 0; o < index.orderIds.length; o++) {
    for (const p of orderProducts(index, o)) {
      const at = cursor[p] ?? 0;
      itemOrders[at] = o;
      cursor[p] = at + 1;
    }
  }
  return { itemOrderStart, itemOrders };
}

/** For each order, the first order of its customer that still takes part in sequence pairs. */
function recentOrderFloor(index: PurchaseIndex, maxSequenceOrders: number): Int32Array {
  const floor = new Int32Array(index.orderIds.length);
  for (let c = 0; c < index.customerIds.length; c++) {
    const first = index.customerOrderStart[c] ?? 0;
    const end = index.customerOrderStart[c + 1] ?? 0;
    floor.fill(Math.max(first, end - maxSequenceOrders), first, end);
  }
  return floor;
}

interface SequenceContext {
  index: PurchaseIndex;
  orderDecay: Float64Array;
  /** For each order, the first order of its customer that takes part in sequence pairs. */
  orderFloor: Int32Array;
  settings: ItemToItemOptions;
}

/**
 * Adds product p's cross-order pairs: per customer, the best weight each other product reaches
 * over (order with p, other order) pairs, scaled by sequenceWeight.
 */
function addSequencePairs(
  context: SequenceContext,
  p: number,
  ordersWithP: Int32Array,
  customerBest: CoOccurrenceScratch,
  scratch: CoOccurrenceScratch,
): void {
  const { index, orderDecay, orderFloor, settings } = context;
  const windowMs = settings.sequenceWindowDays * MS_PER_DAY;
  let k = 0;
  while (k < ordersWithP.length) {
    const customer = index.orderCustomer[ordersWithP[k] ?? 0] ?? 0;
    const customerEnd = index.customerOrderStart[customer + 1] ?? 0;
    customerBest.reset();
    for (; k < ordersWithP.length && (ordersWithP[k] ?? 0) < customerEnd; k++) {
      const o = ordersWithP[k] ?? 0;
      const floor = orderFloor[o] ?? 0;
      if (o < floor || customerEnd - floor < 2) continue;
      const timeO = index.orderTimeMs[o] ?? 0;
      const decayO = orderDecay[o] ?? 0;
      for (let other = floor; other < customerEnd; other++) {
        if (other === o) continue;
        const gapMs = Math.abs((index.orderTimeMs[other] ?? 0) - timeO);
        if (gapMs > windowMs) continue;
        const weight =
          Math.sqrt(decayO * (orderDecay[other] ?? 0)) *
          Math.pow(0.5, gapMs / MS_PER_DAY / settings.sequenceGapHalfLifeDays);
        forEachProductOf(index, other, p, (q) => customerBest.keepMax(q, weight));
      }
    }
    for (let t = 0; t < customerBest.touchedCount; t++) {
      const q = customerBest.touched[t] ?? 0;
      scratch.add(q, settings.sequenceWeight * (customerBest.weight[q] ?? 0));
    }
  }
}
