/**
 * Weighted item → item edges in compressed rows, the shape both item models (item-kNN and
 * EASE) produce and the storefront stores one row per product of.
 */
import type { ScoredProduct } from "./types";

export interface ItemGraph {
  productIds: readonly string[];
  productIndex: ReadonlyMap<string, number>;
  /** Edges of product p are at neighbourStart[p] .. neighbourStart[p+1], best first. */
  neighbourStart: Int32Array;
  neighbourItems: Int32Array;
  neighbourScores: Float64Array;
}

/** The edges out of a product, best first; empty for unknown products. */
export function neighboursOf(
  graph: ItemGraph,
  productId: string,
  limit = Infinity,
): ScoredProduct[] {
  const p = graph.productIndex.get(productId);
  if (p === undefined) return [];
  const first = graph.neighbourStart[p] ?? 0;
  const end = Math.min(graph.neighbourStart[p + 1] ?? 0, first + limit);
  const neighbours: ScoredProduct[] = [];
  for (let k = first; k < end; k++) {
    neighbours.push({
      productId: graph.productIds[graph.neighbourItems[k] ?? 0] ?? "",
      score: graph.neighbourScores[k] ?? 0,
      source: "neighbours",
    });
  }
  return neighbours;
}
