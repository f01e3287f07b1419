/**
 * The blended "for you" list: popularity as the prior, lifted by the customer's own purchases,
 * plus item-to-item votes from what they bought.
 *
 *   score(j) = share(j) · (1 + β · own(j)) + w · neighbour(j)
 *   neighbour(j) = Σᵢ recencyᵢ · sim(i, j) / Σᵢ recencyᵢ
 *
 * share(j) is the share of all orders containing j, own(j) the customer's decayed count of orders
 * containing j. The own-purchase boost is multiplicative because measured repeat rates are
 * proportional to popularity: on the groceries data a product bought once before is 1.15× as
 * likely as its base rate in the next basket, not a fixed probability, so an additive personal
 * term pushes rarely rebought niche products above staples and loses to plain popularity. With no
 * history the list is exactly popularity. The neighbour term is a weighted mean so a long history
 * does not outvote the rest, and with a conditional-probability-like similarity (cosine with small
 * α) it is on the same scale as share(j).
 */
import { summariseHistory } from "./customer-history";
import type { ItemToItemModel } from "./item-to-item";
import type { PopularityPrior } from "./popularity-prior";
import { compareScoredDescending } from "./product-order";
import type { HistoryEntry, ScoredProduct } from "./types";

export interface BlendedOptions {
  asOf: Date;
  limit: number;
  /** Half-life of a past order's weight in both own(j) and the neighbour votes. */
  historyHalfLifeDays: number;
  /** β above: the relative lift per earlier order containing the product. */
  ownBoost: number;
  /** w above; 0 ignores the item-to-item model. */
  neighbourWeight: number;
  /** False leaves out everything the customer bought (discovery lists). */
  allowPreviouslyBought: boolean;
  /** Never recommended (blocked, or the product being viewed). */
  exclude?: ReadonlySet<string>;
}

export const DEFAULT_BLENDED_OPTIONS: Omit<BlendedOptions, "asOf"> = {
  limit: 10,
  historyHalfLifeDays: 365,
  ownBoost: 0.2,
  neighbourWeight: 0.5,
  allowPreviouslyBought: true,
};

export function recommendBlended(
  model: ItemToItemModel,
  prior: PopularityPrior,
  history: readonly HistoryEntry[],
  options: Partial<BlendedOptions> & Pick<BlendedOptions, "asOf">,
): ScoredProduct[] {
  const settings = { ...DEFAULT_BLENDED_OPTIONS, ...options };
  const bought = summariseHistory(history, settings.asOf.getTime(), settings.historyHalfLifeDays);
  const excluded = (productId: string): boolean =>
    (settings.exclude?.has(productId) ?? false) ||
    (!settings.allowPreviouslyBought && bought.has(productId));

  const neighbour = neighbourVotes(model, bought.values());
  const scores = new Map<string, ScoredProduct>();
  const consider = (productId: string, source: ScoredProduct["source"]): void => {
    if (scores.has(productId) || excluded(productId)) return;
    const own = bought.get(productId)?.recency ?? 0;
    const personal = (prior.share.get(productId) ?? 0) * (1 + settings.ownBoost * own);
    const score = personal + settings.neighbourWeight * (neighbour.get(productId) ?? 0);
    if (score > 0) scores.set(productId, { productId, score, source });
  };
  for (const productId of bought.keys()) consider(productId, "repurchase");
  for (const productId of neighbour.keys()) consider(productId, "neighbours");

  // Unscored products rank by popularity alone and the prior is sorted, so the first `limit`
  // of them are the only ones that can make the list.
  let fromPrior = 0;
  for (const product of prior.ranked) {
    if (fromPrior >= settings.limit) break;
    if (scores.has(product.productId) || excluded(product.productId)) continue;
    scores.set(product.productId, {
      productId: product.productId,
      score: product.score,
      source: "popular",
    });
    fromPrior++;
  }
  return [...scores.values()].sort(compareScoredDescending).slice(0, settings.limit);
}

/** Recency-weighted mean similarity of each neighbour to the customer's products. */
function neighbourVotes(
  model: ItemToItemModel,
  bought: Iterable<{ productId: string; recency: number }>,
): Map<string, number> {
  const votes = new Map<string, number>();
  let totalRecency = 0;
  for (const product of bought) {
    const p = model.productIndex.get(product.productId);
    if (p === undefined) continue;
    totalRecency += product.recency;
    for (let k = model.neighbourStart[p] ?? 0; k < (model.neighbourStart[p + 1] ?? 0); k++) {
      const q = model.productIds[model.neighbourItems[k] ?? 0] ?? "";
      const vote = product.recency * (model.neighbourScores[k] ?? 0);
      votes.set(q, (votes.get(q) ?? 0) + vote);
    }
  }
  if (totalRecency > 0) for (const [q, vote] of votes) votes.set(q, vote / totalRecency);
  return votes;
}
