/**
 * BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), laid out for speed: the fit evaluates
 * it hundreds of times over up to ~10⁵–10⁶ customers.
 *
 * For one customer, with A = Γ(r + x) αʳ / Γ(r) and B(·,·) the beta function,
 *   L = B(a, b + x)/B(a, b) · A / (α + T)^(r+x)  +  δ(x>0) B(a + 1, b + x − 1)/B(a, b) · A / (α + tₓ)^(r+x)
 * and since B(a + 1, b + x − 1) / B(a, b + x) = a / (b + x − 1),
 *   ln L = ln A + ln B(a, b + x) − ln B(a, b) − (r + x) ln(α + T)
 *          + δ(x>0) ln(1 + a/(b + x − 1) · ((α + T)/(α + tₓ))^(r+x)).
 * Everything that depends on x alone (x is an integer) is tabulated once per evaluation with
 * ln Γ(y + x) − ln Γ(y) = Σₖ₌₀..ₓ₋₁ ln(y + k), so the per-customer loop needs only ln(α + T),
 * ln(α + tₓ), one exp and one log1p.
 */
import { InvalidSummaryError } from "./errors";
import type { BgNbdParams, BgNbdSummary } from "./bgnbd-types";

/** Summaries as parallel typed arrays, identical rows merged into one with a weight. */
export interface BgNbdData {
  /** Repeat purchases, as an integer index into the x tables. */
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  maxX: number;
  customerCount: number;
  repeatCustomerCount: number;
  /** Σ x·weight, Σ T·weight: used for the starting point. */
  totalRepeatPurchases: number;
  totalAge: number;
}

export function validateSummary(summary: BgNbdSummary, index: number): void {
  const { x, tx, T } = summary;
  if (!Number.isInteger(x) || x < 0) {
    throw new InvalidSummaryError(`x must be a non-negative integer, got ${x}`, index);
  }
  if (!Number.isFinite(T) || T < 0) {
    throw new InvalidSummaryError(`T must be finite and ≥ 0, got ${T}`, index);
  }
  if (!Number.isFinite(tx) || tx < 0 || tx > T) {
    throw new InvalidSummaryError(`tx must be within [0, T = ${T}], got ${tx}`, index);
  }
  if (x === 0 && tx !== 0) {
    throw new InvalidSummaryError(`tx must be 0 when x = 0, got ${tx}`, index);
  }
}

/**
 * Open-addressing hash of (x, tₓ, T) → row, in typed arrays: a Map with string or nested keys
 * costs more than the fit itself at 200k distinct rows.
 */
class RowIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly bits = new Float64Array(1);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(capacity: number) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2 * capacity, 16)));
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  private mix(hash: number, value: number): number {
    this.bits[0] = value;
    const low = Math.imul(hash ^ (this.words[0] ?? 0), 0x9e3779b1);
    return Math.imul(low ^ (this.words[1] ?? 0), 0x85ebca6b) ^ (low >>> 15);
  }

  /** The row already holding this key, or `newRow` after claiming a slot for it. */
  findOrInsert(x: number, tx: number, T: number, rows: PackedRows, newRow: number): number {
    let slot = this.mix(this.mix(this.mix(0x811c9dc5, x), tx), T) & this.mask;
    for (;;) {
      const row = this.slots[slot] ?? -1;
      if (row === -1) {
        this.slots[slot] = newRow;
        return newRow;
      }
      if (rows.x[row] === x && rows.tx[row] === tx && rows.T[row] === T) return row;
      slot = (slot + 1) & this.mask;
    }
  }
}

interface PackedRows {
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/**
 * Validates and packs the summaries. Real shops' summaries are in whole days, so many customers
 * share (x, tₓ, T); merging them cuts the likelihood's cost by a large factor.
 */
export function prepareBgNbdData(summaries: readonly BgNbdSummary[]): BgNbdData {
  const n = summaries.length;
  const rows: PackedRows = {
    x: new Int32Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    weight: new Float64Array(n),
  };
  const index = new RowIndex(n);
  let rowCount = 0;
  let maxX = 0;
  let repeatCustomerCount = 0;
  let totalRepeatPurchases = 0;
  let totalAge = 0;
  summaries.forEach((summary, position) => {
    validateSummary(summary, position);
    const { x, tx, T } = summary;
    maxX = Math.max(maxX, x);
    if (x > 0) repeatCustomerCount++;
    totalRepeatPurchases += x;
    totalAge += T;
    const row = index.findOrInsert(x, tx, T, rows, rowCount);
    if (row === rowCount) {
      rows.x[row] = x;
      rows.tx[row] = tx;
      rows.T[row] = T;
      rowCount++;
    }
    rows.weight[row] = (rows.weight[row] ?? 0) + 1;
  });
  return {
    x: rows.x.slice(0, rowCount),
    tx: rows.tx.slice(0, rowCount),
    T: rows.T.slice(0, rowCount),
    weight: rows.weight.slice(0, rowCount),
    maxX,
    customerCount: n,
    repeatCustomerCount,
    totalRepeatPurchases,
    totalAge,
  };
}

/**
 * Every k-th row, so the sample spans the input's order (callers' summaries are often sorted by
 * signup date); weights are kept, so it is a sample of distinct rows, not of customers.
 */
export function subsampleBgNbdData(data: BgNbdData, rows: number): BgNbdData {
  const stride = Math.max(1, Math.floor(data.x.length / rows));
  const picked: number[] = [];
  for (let i = 0; i < data.x.length; i += stride) picked.push(i);
  const pick = <T extends Int32Array | Float64Array>(source: T, target: T): T => {
    picked.forEach((row, i) => (target[i] = source[row] ?? 0));
    return target;
  };
  const weight = pick(data.weight, new Float64Array(picked.length));
  return {
    ...data,
    x: pick(data.x, new Int32Array(picked.length)),
    tx: pick(data.tx, new Float64Array(picked.length)),
    T: pick(data.T, new Float64Array(picked.length)),
    weight,
    customerCount: weight.reduce((sum, w) => sum + w, 0),
  };
}

/** table[x] = ln Γ(y + x) − ln Γ(y) = Σₖ₌₀..ₓ₋₁ ln(y + k), for x = 0..maxX. */
function fillLogRisingFactorial(table: Float64Array, y: number): void {
  table[0] = 0;
  for (let x = 1; x < table.length; x++) table[x] = (table[x - 1] ?? 0) + Math.log(y + x - 1);
}

/** Reusable scratch tables so each evaluation allocates nothing. */
export interface BgNbdLikelihood {
  data: BgNbdData;
  logLikelihood(params: BgNbdParams): number;
}

export function bgNbdLikelihood(data: BgNbdData): BgNbdLikelihood {
  const size = data.maxX + 1;
  const risingR = new Float64Array(size);
  const risingB = new Float64Array(size);
  const risingAB = new Float64Array(size);
  /** per-x constant of the log-likelihood: ln Γ(r+x)/Γ(r) + r ln α + ln B(a, b+x)/B(a, b) */
  const constantOfX = new Float64Array(size);
  /** per-x ln(a / (b + x − 1)), the log-odds weight of "dropped out after the last purchase" */
  const dropoutOfX = new Float64Array(size);

  function logLikelihood({ r, alpha, a, b }: BgNbdParams): number {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
    fillLogRisingFactorial(risingR, r);
    fillLogRisingFactorial(risingB, b);
    fillLogRisingFactorial(risingAB, a + b);
    const logAlpha = Math.log(alpha);
    const logA = Math.log(a);
    for (let x = 0; x < size; x++) {
      // ln B(a, b + x) − ln B(a, b) = [ln Γ(b+x) − ln Γ(b)] − [ln Γ(a+b+x) − ln Γ(a+b)]
      constantOfX[x] = (risingR[x] ?? 0) + r * logAlpha + (risingB[x] ?? 0) - (risingAB[x] ?? 0);
      dropoutOfX[x] = x > 0 ? logA - Math.log(b + x - 1) : 0;
    }

    const { x: xs, tx: txs, T: ages, weight } = data;
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] ?? 0;
      const shape = r + x;
      const logAgeTerm = Math.log(alpha + (ages[i] ?? 0));
      let term = (constantOfX[x] ?? 0) - shape * logAgeTerm;
      if (x > 0) {
        // ln(1 + e^u) with u ≥ ln a/(b+x−1) since T ≥ tₓ; written to avoid overflowing e^u.
        const u = (dropoutOfX[x] ?? 0) + shape * (logAgeTerm - Math.log(alpha + (txs[i] ?? 0)));
        term += u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
      }
      total += (weight[i] ?? 0) * term;
    }
    return total;
  }

  return { data, logLikelihood };
}
