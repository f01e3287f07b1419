/**
 * BG/NBD "buy till you die" model: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy
 * Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2). Equation numbers below
 * refer to that paper.
 *
 * Time is in whatever unit the summaries use (the app uses days); α carries that unit.
 */
import type { BgNbdData } from "./bgnbd-likelihood";
import {
  bgNbdLikelihood,
  prepareBgNbdData,
  subsampleBgNbdData,
  validateSummary,
} from "./bgnbd-likelihood";
import type { BgNbdParams, BgNbdSummary } from "./bgnbd-types";
import { assertBgNbdParams } from "./bgnbd-types";
import { InsufficientDataError, InvalidParametersError } from "./errors";
import { scaledHyp2f1 } from "./hypergeometric";
import type { NelderMeadResult } from "./nelder-mead";
import { nelderMead, nelderMeadWithRestarts } from "./nelder-mead";

export type { BgNbdParams, BgNbdSummary } from "./bgnbd-types";

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  /** Nelder–Mead iterations summed over starting points and restarts. */
  iterations: number;
  converged: boolean;
}

export interface FitOptions {
  maxIterations?: number;
  /** How many starting points to run to convergence (the best by likelihood are used first). */
  starts?: number;
}

function toParams(logParams: readonly number[]): BgNbdParams {
  const [logR = 0, logAlpha = 0, logA = 0, logB = 0] = logParams;
  return { r: Math.exp(logR), alpha: Math.exp(logAlpha), a: Math.exp(logA), b: Math.exp(logB) };
}

/**
 * Candidate starting points. The purchase rate of the population, Σx / ΣT, fixes the scale of α
 * (E[λ] = r/α), which is the parameter that depends on the time unit; the shapes start at a few
 * values spanning the published fits (CDNOW: r ≈ 0.24, a ≈ 0.8, b ≈ 2.4).
 */
function startingPoints(purchaseRate: number): number[][] {
  const shapes: BgNbdParams[] = [
    { r: 0.25, alpha: 0.25 / purchaseRate, a: 0.8, b: 2.5 },
    { r: 1, alpha: 1 / purchaseRate, a: 1, b: 1 },
    { r: 2, alpha: 2 / purchaseRate, a: 2, b: 8 },
    { r: 0.5, alpha: 0.5 / purchaseRate, a: 0.3, b: 5 },
  ];
  return shapes.map(({ r, alpha, a, b }) => [r, alpha, a, b].map(Math.log));
}

/**
 * Above this many distinct rows the fit first runs on an evenly spaced subsample of this size,
 * then polishes on all rows from that optimum: the subsample optimum is within sampling error of
 * the full one, so the full-data run starts close and needs a fraction of the iterations. Keeps
 * 200k customers within a few seconds without a gradient-based optimiser.
 */
const COARSE_FIT_ROWS = 20_000;
/** Initial simplex size (in log-parameters) for the polishing run: ~5 % moves. */
const POLISH_STEP = 0.05;
/** 1e-5 relative precision in the parameters: far below their standard errors at this size. */
const POLISH_X_TOLERANCE = 1e-5;

function meanNegativeLogLikelihood(data: BgNbdData): (logParams: readonly number[]) => number {
  const likelihood = bgNbdLikelihood(data);
  const customers = data.weight.reduce((sum, weight) => sum + weight, 0);
  return (logParams) => -likelihood.logLikelihood(toParams(logParams)) / customers;
}

/**
 * Maximum-likelihood fit of (r, α, a, b) (eq. 6), optimising the mean log-likelihood over
 * log-parameters so the optimiser is unconstrained and works on comparable scales.
 *
 * @throws InvalidSummaryError for a malformed summary, InsufficientDataError for an empty input.
 */
export function fitBgNbd(summaries: readonly BgNbdSummary[], options: FitOptions = {}): BgNbdFit {
  const { maxIterations = 5000, starts = 2 } = options;
  const data = prepareBgNbdData(summaries);
  if (data.customerCount === 0) throw new InsufficientDataError("no customers to fit");
  const large = data.x.length > COARSE_FIT_ROWS;
  const coarseObjective = meanNegativeLogLikelihood(
    large ? subsampleBgNbdData(data, COARSE_FIT_ROWS) : data,
  );

  // Guard the rate against shops where nobody has repeated yet or every T is 0.
  const purchaseRate =
    Math.max(data.totalRepeatPurchases, 0.01 * data.customerCount) /
    Math.max(data.totalAge, 1e-9 * data.customerCount + Number.MIN_VALUE);
  const ranked = startingPoints(purchaseRate)
    .map((point) => ({ point, value: coarseObjective(point) }))
    .sort((left, right) => left.value - right.value)
    .slice(0, Math.max(1, starts));

  let best: NelderMeadResult | undefined;
  let iterations = 0;
  for (const { point } of ranked) {
    const result = nelderMeadWithRestarts(coarseObjective, point, { maxIterations });
    iterations += result.iterations;
    if (best === undefined || result.value < best.value) best = result;
  }
  if (best === undefined) throw new InsufficientDataError("no starting point");
  if (large) {
    const polished = nelderMead(meanNegativeLogLikelihood(data), best.point, {
      maxIterations,
      initialStep: POLISH_STEP,
      xTolerance: POLISH_X_TOLERANCE,
    });
    iterations += polished.iterations;
    best = polished;
  }
  return {
    params: toParams(best.point),
    logLikelihood: -best.value * data.customerCount,
    iterations,
    converged: best.converged,
  };
}

function assertHorizon(t: number): void {
  if (!(Number.isFinite(t) && t >= 0)) {
    throw new InvalidParametersError(`horizon must be finite and ≥ 0, got ${t}`);
  }
}

/**
 * ln of the odds that a customer with x > 0 has dropped out rather than being alive:
 * a/(b + x − 1) · ((α + T)/(α + tₓ))^(r+x). P(alive) is not in the 2005 paper; it is derived in
 * Fader, Hardie & Lee (2008), "Computing P(alive) Using the BG/NBD Model", brucehardie.com note 021.
 */
function logOddsDropped({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: BgNbdSummary): number {
  return Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

/**
 * P(alive | x, tₓ, T) (note 021, see above): 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)).
 * A customer with no repeat purchase is alive with probability 1: in the BG/NBD model dropout can
 * only happen right after a purchase.
 */
export function probabilityAlive(params: BgNbdParams, customer: BgNbdSummary): number {
  assertBgNbdParams(params);
  validateSummary(customer, 0);
  if (customer.x === 0) return 1;
  return 1 / (1 + Math.exp(logOddsDropped(params, customer)));
}

/** Step away from a = 1 and from c = a + b + x − 1 = 0 where eq. (10) is 0/0 (see below). */
const SINGULARITY_STEP = 1e-5;

/**
 * E[Y(t) | alive now, x, T]: the part of eq. (10) before dividing by the P(alive) denominator,
 *   (a + b + x − 1)/(a − 1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].
 */
function expectedPurchasesIfAlive(
  { r, alpha, a, b }: BgNbdParams,
  x: number,
  T: number,
  t: number,
): number {
  const z = t / (alpha + T + t);
  const logPower = -(r + x) * Math.log1p(t / (alpha + T));
  const bracket = 1 - scaledHyp2f1(r + x, b + x, a + b + x - 1, z, logPower);
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/**
 * Expected repeat purchases in the next t periods for a customer with history (x, tₓ, T),
 * eq. (10). The ₂F₁ argument t/(α+T+t) approaches 1 for long horizons; hypergeometric.ts
 * switches to the 1 − z transformation there.
 *
 * At a = 1 (and at a + b + x = 1) eq. (10) is a removable 0/0; the expectation is smooth in a,
 * so there we average a ± 1e-5, accurate to O(1e-10).
 */
export function expectedPurchases(params: BgNbdParams, customer: BgNbdSummary, t: number): number {
  return conditionalExpectation(params, customer)(t);
}

/**
 * eq. (10) for one customer as a function of the horizon t: the parameters and the summary are
 * checked, and P(alive) computed, once for all the horizons a prediction asks about (the CLV's
 * month ends, the next-order search).
 */
export function conditionalExpectation(
  params: BgNbdParams,
  customer: BgNbdSummary,
): (t: number) => number {
  assertBgNbdParams(params);
  validateSummary(customer, 0);
  const { x, T } = customer;
  const pAlive = probabilityAlive(params, customer);
  const nearSingular =
    Math.abs(params.a - 1) < SINGULARITY_STEP ||
    Math.abs(params.a + params.b + x - 1) < SINGULARITY_STEP;
  const memory = ifAliveMemory(params);
  return (t) => {
    assertHorizon(t);
    if (t === 0) return 0;
    let ifAlive = memory.get(x, T, t);
    if (ifAlive === undefined) {
      if (!nearSingular) ifAlive = expectedPurchasesIfAlive(params, x, T, t);
      else {
        const above = { ...params, a: params.a + 2 * SINGULARITY_STEP };
        const below = {
          ...params,
          a: Math.max(params.a - 2 * SINGULARITY_STEP, SINGULARITY_STEP),
        };
        ifAlive =
          expectedPurchasesIfAlive(above, x, T, t) + expectedPurchasesIfAlive(below, x, T, t);
      }
      memory.set(x, T, t, ifAlive);
    }
    return nearSingular ? (pAlive * ifAlive) / 2 : pAlive * ifAlive;
  };
}

/** x and T packed into one small integer key (below 2³⁰, so V8 keeps it unboxed). */
const MAX_X = 2 ** 11;
const MAX_T = 2 ** 19;
/** Some 100 MB at most; a 200k-customer shop needs a few hundred thousand. */
const MAX_REMEMBERED = 1_000_000;

/**
 * The ₂F₁ part of eq. (10) depends on (x, T, t) but not on tₓ, so customers who share x and
 * their age share it at every horizon: a shop-wide scoring run (the CLV's month ends, the
 * next-order search) evaluates it once per (x, T, t) rather than once per customer. Kept for
 * whole-day ages (the app's unit); starts over when full.
 */
class IfAliveMemory {
  private byHorizon = new Map<number, Map<number, number>>();
  private size = 0;

  get(x: number, T: number, t: number): number | undefined {
    if (!(x < MAX_X && T < MAX_T)) return undefined;
    return this.byHorizon.get(t)?.get(x * MAX_T + T);
  }

  set(x: number, T: number, t: number, value: number): void {
    if (!(x < MAX_X && T < MAX_T && Number.isInteger(T))) return;
    if (this.size >= MAX_REMEMBERED) {
      this.byHorizon = new Map();
      this.size = 0;
    }
    let byHistory = this.byHorizon.get(t);
    if (byHistory === undefined) {
      byHistory = new Map();
      this.byHorizon.set(t, byHistory);
    }
    byHistory.set(x * MAX_T + T, value);
    this.size += 1;
  }
}

/** One memory per parameter set: a scoring run passes the same parameter object throughout. */
const ifAliveMemories = new WeakMap<BgNbdParams, IfAliveMemory>();

function ifAliveMemory(params: BgNbdParams): IfAliveMemory {
  let memory = ifAliveMemories.get(params);
  if (memory === undefined) {
    memory = new IfAliveMemory();
    ifAliveMemories.set(params, memory);
  }
  return memory;
}

/**
 * E[X(t)] for a customer just acquired (eq. 9): eq. (10) with x = tₓ = T = 0.
 */
export function expectedPurchasesNewCustomer(params: BgNbdParams, t: number): number {
  return expectedPurchases(params, { x: 0, tx: 0, T: 0 }, t);
}

/** Bisection steps; each halves the bracket, so 60 reach double precision from any bracket. */
const BISECTION_STEPS = 60;
const DEFAULT_HORIZON_MULTIPLE = 20;

/**
 * Estimated time until the customer's next purchase, in the summaries' time unit: the horizon t
 * at which the conditional expected purchases E[Y(t) | x, tₓ, T] (eq. 10) reach 1.
 *
 * Why this definition rather than 1 / E[λ | data]: it accounts for the chance the customer has
 * already dropped out (P(alive) < 1 stretches the estimate) and for dropout during the wait, both
 * of which matter for win-back timing; 1/E[λ] would tell a probably-lost customer to expect an
 * order as soon as an active one.
 *
 * Returns null when fewer than one purchase is expected within `maxHorizon` (default 20 × α/r,
 * twenty population-average inter-purchase times), i.e. "not expected to buy again".
 * `tolerance` stops the bisection once the bracket is that narrow: a date needs half a day, not
 * double precision, and each step costs a ₂F₁ evaluation.
 */
export function expectedNextPurchaseIn(
  params: BgNbdParams,
  customer: BgNbdSummary,
  maxHorizon: number = (DEFAULT_HORIZON_MULTIPLE * params.alpha) / params.r,
  tolerance = 0,
): number | null {
  assertBgNbdParams(params);
  assertHorizon(maxHorizon);
  const expected = conditionalExpectation(params, customer);
  if (expected(maxHorizon) < 1) return null;
  let low = 0;
  let high = maxHorizon;
  for (
    let step = 0;
    step < BISECTION_STEPS && high - low > Math.max(tolerance, 1e-9 * high);
    step++
  ) {
    const middle = (low + high) / 2;
    if (expected(middle) < 1) low = middle;
    else high = middle;
  }
  return high;
}

/**
 * The time between purchases of a customer with x repeat purchases over tₓ, as of their latest
 * purchase: 1 / E[λ | x, tₓ] = (α + tₓ)/(r + x), in the summaries' time unit. Their latest
 * purchase plus this is when their next one is due.
 *
 * Only the history up to the latest purchase counts (T = tₓ), so the answer stays put while the
 * customer is silent and moves only when they buy. At T = tₓ the dropout terms of the likelihood
 * do not involve λ, so λ | x, tₓ ~ Gamma(r + x, α + tₓ) (α is a rate, as in eq. 2).
 *
 * Why the rate's posterior mean: it tends to the customer's own mean gap tₓ/x as orders
 * accumulate, is shrunk towards the population's α/r for few orders, and exists for every buyer.
 * The mean gap E[1/λ] = (α + tₓ)/(r + x − 1) is infinite when r + x ≤ 1 (every one-time buyer
 * under the usual r < 1) and, just above, dominated by the tail (one repeat order would put the
 * due date years out); the median gap, ln 2 / λ for a known λ, would call a regular customer
 * overdue at 69 % of their usual interval. Dropout is left to P(alive), which the overdue
 * trigger checks separately.
 */
export function interPurchaseTimeAsOfLastPurchase(
  params: BgNbdParams,
  { x, tx }: Pick<BgNbdSummary, "x" | "tx">,
): number {
  assertBgNbdParams(params);
  validateSummary({ x, tx, T: tx }, 0);
  return (params.alpha + tx) / (params.r + x);
}
