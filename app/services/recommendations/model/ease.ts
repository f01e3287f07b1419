/**
 * EASE^R (Steck 2019): a linear item-to-item model with a closed form. With X the customer ×
 * product purchase matrix (1 when the customer ever bought the product) and G = XᵀX + λI,
 *   P = G⁻¹,  B_ij = −P_ij / P_jj (i ≠ j),  B_jj = 0,
 * and a customer's score for j is Σ_{i bought} B_ij. Unlike co-occurrence similarity it learns
 * how much each bought product adds *given the others*, which is what keeps staples from
 * voting for everything.
 *
 * No linear-algebra package on npm fits here (the maintained ones are either dense-only
 * without a Cholesky on typed arrays, or native), so the inverse is a Cholesky factorisation on
 * one Float64Array. The cost is O(n³) in the number of products modelled, so only the
 * `maxProducts` most-bought products take part (1,000 products: about a second); the rest
 * rely on the item-kNN model. Only each row's top `neighbours` weights are kept, which is the
 * sparse form the storefront reads.
 */
import { customerOrderRange, orderProducts, type PurchaseIndex } from "./purchase-index";
import type { ItemGraph } from "./item-graph";

export interface EaseOptions {
  /** Products modelled, most-bought first. */
  maxProducts: number;
  /** λ as a multiple of the mean diagonal of XᵀX, so one setting fits shops of any size. */
  relativeLambda: number;
  neighbours: number;
}

export const DEFAULT_EASE_OPTIONS: EaseOptions = {
  maxProducts: 1000,
  relativeLambda: 0.5,
  neighbours: 30,
};

export function buildEaseModel(
  index: PurchaseIndex,
  options: Partial<EaseOptions> = {},
): ItemGraph {
  const settings = { ...DEFAULT_EASE_OPTIONS, ...options };
  const modelled = mostBoughtProducts(index, settings.maxProducts);
  const n = modelled.length;
  const column = new Int32Array(index.productIds.length).fill(-1);
  modelled.forEach((p, i) => (column[p] = i));

  const gram = new Float64Array(n * n);
  const bought = new Set<number>();
  for (let c = 0; c < index.customerIds.length; c++) {
    bought.clear();
    const [first, end] = customerOrderRange(index, c);
    for (let o = first; o < end; o++) {
      for (const p of orderProducts(index, o)) {
        const i = column[p] ?? -1;
        if (i >= 0) bought.add(i);
      }
    }
    const items = [...bought];
    for (const i of items) for (const j of items) gram[i * n + j] = (gram[i * n + j] ?? 0) + 1;
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += gram[i * n + i] ?? 0;
  const lambda = Math.max(1, (settings.relativeLambda * trace) / Math.max(1, n));
  for (let i = 0; i < n; i++) gram[i * n + i] = (gram[i * n + i] ?? 0) + lambda;

  const inverse = invertSymmetricPositiveDefinite(gram, n);
  return topWeightsPerRow(index, modelled, inverse, settings.neighbours);
}

function mostBoughtProducts(index: PurchaseIndex, maxProducts: number): number[] {
  const orders = new Float64Array(index.productIds.length);
  for (const p of index.orderItems) orders[p] = (orders[p] ?? 0) + 1;
  return [...orders.keys()]
    .filter((p) => (orders[p] ?? 0) > 0)
    .sort((a, b) => (orders[b] ?? 0) - (orders[a] ?? 0) || a - b)
    .slice(0, maxProducts)
    .sort((a, b) => a - b);
}

/** B_ij = −P_ij / P_jj, the top positive weights of each row i, in the shared CSR shape. */
function topWeightsPerRow(
  index: PurchaseIndex,
  modelled: readonly number[],
  inverse: Float64Array,
  neighbours: number,
): ItemGraph {
  const n = modelled.length;
  const productCount = index.productIds.length;
  const rowOf = new Map(modelled.map((p, i) => [p, i]));
  const neighbourStart = new Int32Array(productCount + 1);
  const items: number[] = [];
  const scores: number[] = [];
  const weights = new Float64Array(n);
  const order = new Int32Array(n);
  for (let p = 0; p < productCount; p++) {
    const i = rowOf.get(p);
    if (i !== undefined) {
      let count = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const weight = -(inverse[i * n + j] ?? 0) / (inverse[j * n + j] ?? 1);
        if (weight > 0) {
          weights[j] = weight;
          order[count++] = j;
        }
      }
      const ranked = order
        .subarray(0, count)
        .sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || a - b);
      for (const j of ranked.subarray(0, neighbours)) {
        items.push(modelled[j] ?? 0);
        scores.push(weights[j] ?? 0);
      }
    }
    neighbourStart[p + 1] = items.length;
  }
  return {
    productIds: index.productIds,
    productIndex: index.productIndex,
    neighbourStart,
    neighbourItems: Int32Array.from(items),
    neighbourScores: Float64Array.from(scores),
  };
}

/**
 * A⁻¹ for a symmetric positive-definite n × n matrix (row-major), through A = LLᵀ:
 * A⁻¹ = L⁻ᵀ L⁻¹. Overwrites nothing the caller keeps using.
 */
export function invertSymmetricPositiveDefinite(matrix: Float64Array, n: number): Float64Array {
  const l = matrix; // factorised in place: the caller's Gram matrix is not needed afterwards
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diagonal = l[rowJ + j] ?? 0;
    for (let k = 0; k < j; k++) diagonal -= (l[rowJ + k] ?? 0) * (l[rowJ + k] ?? 0);
    if (!(diagonal > 0)) throw new Error("EASE: Gram matrix is not positive definite");
    const root = Math.sqrt(diagonal);
    l[rowJ + j] = root;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = l[rowI + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[rowI + k] ?? 0) * (l[rowJ + k] ?? 0);
      l[rowI + j] = sum / root;
    }
    for (let k = j + 1; k < n; k++) l[rowJ + k] = 0;
  }
  // Row j of `columns` is column j of L⁻¹ (lower triangular), by forward substitution; rows
  // keep every inner loop on contiguous memory.
  const columns = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    columns[rowJ + j] = 1 / (l[rowJ + j] ?? 1);
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = 0;
      for (let k = j; k < i; k++) sum -= (l[rowI + k] ?? 0) * (columns[rowJ + k] ?? 0);
      columns[rowJ + i] = sum / (l[rowI + i] ?? 1);
    }
  }
  // A⁻¹ = (L⁻¹)ᵀ L⁻¹: entry (i, j) = Σ_k L⁻¹[k][i] · L⁻¹[k][j], i.e. columns i and j dotted.
  const inverse = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = i; k < n; k++) sum += (columns[i * n + k] ?? 0) * (columns[j * n + k] ?? 0);
      inverse[i * n + j] = sum;
      inverse[j * n + i] = sum;
    }
  }
  return inverse;
}
