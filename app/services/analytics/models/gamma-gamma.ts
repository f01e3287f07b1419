/**
 * Gamma-Gamma model of spend per transaction (Colombo & Jiang 1999; Fader, Hardie & Lee 2005,
 * "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4); equations as in
 * Fader & Hardie's note "The Gamma-Gamma Model of Monetary Value", brucehardie.com note 025).
 *
 * A customer's transaction values are Gamma(p, ν); ν varies across customers as Gamma(q, γ).
 * The model assumes spend is independent of purchase frequency — check that on real data before
 * trusting CLVs built from it.
 */
import type { BgNbdParams, BgNbdSummary } from "./bgnbd";
import { conditionalExpectation } from "./bgnbd";
import { InsufficientDataError, InvalidParametersError, InvalidSummaryError } from "./errors";
import { logGamma } from "./gamma-function";
import { nelderMeadWithRestarts } from "./nelder-mead";

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer's number of repeat transactions x and their mean value z̄. */
export interface SpendSummary {
  x: number;
  zbar: number;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** Customers used: those with x ≥ 1 and z̄ > 0. */
  customers: number;
}

/** Called for every customer scored, so the valid case does no allocation. */
export function assertGammaGammaParams(params: GammaGammaParams): void {
  const { p, q, gamma } = params;
  if (p > 0 && p < Infinity && q > 0 && q < Infinity && gamma > 0 && gamma < Infinity) return;
  for (const [name, value] of Object.entries(params)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new InvalidParametersError(`Gamma-Gamma ${name} must be finite and > 0, got ${value}`);
    }
  }
}

/**
 * Log-likelihood of the mean spends (note 025: the density of z̄ given x, after integrating ν out):
 *   ln f(z̄ | p, q, γ; x) = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + px ln x
 *                          + (px − 1) ln z̄ − (px + q) ln(γ + x z̄).
 * The Γ terms depend on x only, so they are computed once per distinct x; Σ x ln z̄ and Σ ln z̄
 * are constants; the loop is one log per customer.
 */
function spendLikelihood(customers: readonly SpendSummary[]): (params: GammaGammaParams) => number {
  const x = Float64Array.from(customers, (customer) => customer.x);
  const zbar = Float64Array.from(customers, (customer) => customer.zbar);
  const countOfX = new Map<number, number>();
  let sumXLogZbar = 0;
  let sumLogZbar = 0;
  let sumXLogX = 0;
  for (const customer of customers) {
    countOfX.set(customer.x, (countOfX.get(customer.x) ?? 0) + 1);
    sumXLogZbar += customer.x * Math.log(customer.zbar);
    sumLogZbar += Math.log(customer.zbar);
    sumXLogX += customer.x * Math.log(customer.x);
  }
  const n = customers.length;
  return ({ p, q, gamma }: GammaGammaParams): number => {
    let total = n * (q * Math.log(gamma) - logGamma(q)) + p * sumXLogX;
    for (const [count, customersWithCount] of countOfX) {
      total += customersWithCount * (logGamma(p * count + q) - logGamma(p * count));
    }
    total += p * sumXLogZbar - sumLogZbar;
    for (let i = 0; i < n; i++) {
      const xi = x[i] ?? 0;
      total -= (p * xi + q) * Math.log(gamma + xi * (zbar[i] ?? 0));
    }
    return total;
  };
}

/** Log-likelihood of `params` over the customers with x ≥ 1 and z̄ > 0. */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  customers: readonly SpendSummary[],
): number {
  return spendLikelihood(spendCustomers(customers))(params);
}

function toParams(logParams: readonly number[]): GammaGammaParams {
  const [logP = 0, logQ = 0, logGammaScale = 0] = logParams;
  return { p: Math.exp(logP), q: Math.exp(logQ), gamma: Math.exp(logGammaScale) };
}

/** Customers who carry spend information: at least one repeat purchase with a positive mean. */
export function spendCustomers<T extends SpendSummary>(customers: readonly T[]): T[] {
  return customers.filter((customer) => customer.x >= 1 && customer.zbar > 0);
}

/**
 * Maximum-likelihood (p, q, γ) on customers with x ≥ 1 and z̄ > 0 (the others carry no spend
 * information), optimised over log-parameters from starting points whose implied mean spend
 * pγ/(q − 1) matches the sample mean.
 *
 * @throws InvalidSummaryError for non-finite or negative input, InsufficientDataError when no
 * customer qualifies.
 */
export function fitGammaGamma(
  customers: readonly SpendSummary[],
  options: { maxIterations?: number } = {},
): GammaGammaFit {
  customers.forEach(({ x, zbar }, index) => {
    if (!(Number.isInteger(x) && x >= 0 && Number.isFinite(zbar) && zbar >= 0)) {
      throw new InvalidSummaryError(
        `need integer x ≥ 0 and finite z̄ ≥ 0, got ${x}, ${zbar}`,
        index,
      );
    }
  });
  const usable = spendCustomers(customers);
  if (usable.length === 0) throw new InsufficientDataError("no customer with x ≥ 1 and z̄ > 0");
  const logLikelihood = spendLikelihood(usable);
  const objective = (logParams: readonly number[]) =>
    -logLikelihood(toParams(logParams)) / usable.length;
  const meanSpend = usable.reduce((sum, { zbar }) => sum + zbar, 0) / usable.length;
  const starts = [
    { p: 1, q: 2 },
    { p: 5, q: 4 },
  ].map(({ p, q }) => [p, q, (meanSpend * (q - 1)) / p].map(Math.log));

  let best: ReturnType<typeof nelderMeadWithRestarts> | undefined;
  let iterations = 0;
  for (const start of starts) {
    const result = nelderMeadWithRestarts(objective, start, {
      maxIterations: options.maxIterations,
    });
    iterations += result.iterations;
    if (best === undefined || result.value < best.value) best = result;
  }
  if (best === undefined) throw new InsufficientDataError("no starting point");
  return {
    params: toParams(best.point),
    logLikelihood: -best.value * usable.length,
    iterations,
    converged: best.converged,
    customers: usable.length,
  };
}

/**
 * E[Z | p, q, γ; x, z̄] (note 025; FHL 2005 "RFM and CLV", appendix): a credibility-weighted mix of the population mean
 * pγ/(q − 1) and the customer's own mean z̄, the weight on z̄ growing with x:
 *   (q − 1)/(px + q − 1) · pγ/(q − 1) + px/(px + q − 1) · z̄ = p(γ + x z̄)/(px + q − 1).
 * With x = 0 it is the population mean, which needs q > 1.
 */
export function conditionalExpectedOrderValue(
  params: GammaGammaParams,
  x: number,
  zbar: number,
): number {
  assertGammaGammaParams(params);
  const { p, q, gamma } = params;
  if (!(x >= 0 && Number.isFinite(x) && zbar >= 0 && Number.isFinite(zbar))) {
    throw new InvalidSummaryError(`need x ≥ 0 and z̄ ≥ 0, got ${x}, ${zbar}`, 0);
  }
  if (!(p * x + q > 1)) {
    throw new InvalidParametersError(`expected spend is infinite when px + q ≤ 1 (q = ${q})`);
  }
  return (p * (gamma + x * zbar)) / (p * x + q - 1);
}

/** lifetimes' convention for a "month" in days, kept so our CLVs are comparable with it. */
export const DAYS_PER_MONTH = 30;

/**
 * Customer lifetime value over `horizonDays`, in z̄'s currency: the expected order value times
 * the discounted expected purchases of `discountedExpectedPurchases` — the same discrete sum as
 * lifetimes' `customer_lifetime_value`. `bgnbd` and `customer` must be in days.
 */
export function customerLifetimeValue(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: BgNbdSummary,
  zbar: number,
  horizonDays: number,
  monthlyDiscountRate: number,
): number {
  const orderValue = conditionalExpectedOrderValue(gammaGamma, customer.x, zbar);
  return (
    orderValue * discountedExpectedPurchases(bgnbd, customer, horizonDays, monthlyDiscountRate)
  );
}

/**
 * Expected purchases over `horizonDays`, month by month (the difference of eq. 10 of the BG/NBD
 * paper at successive month ends), each month discounted at `monthlyDiscountRate`; a final partial
 * month is discounted at its fractional month count. Independent of spend, so a recompute can
 * share it between customers with the same (x, tₓ, T).
 */
export function discountedExpectedPurchases(
  bgnbd: BgNbdParams,
  customer: BgNbdSummary,
  horizonDays: number,
  monthlyDiscountRate: number,
): number {
  if (!(Number.isFinite(horizonDays) && horizonDays >= 0)) {
    throw new InvalidParametersError(`horizonDays must be finite and ≥ 0, got ${horizonDays}`);
  }
  if (!(Number.isFinite(monthlyDiscountRate) && monthlyDiscountRate > -1)) {
    throw new InvalidParametersError(
      `monthlyDiscountRate must be > −1, got ${monthlyDiscountRate}`,
    );
  }
  let value = 0;
  let purchasesSoFar = 0;
  const expected = conditionalExpectation(bgnbd, customer);
  for (let month = 1; (month - 1) * DAYS_PER_MONTH < horizonDays; month++) {
    const end = Math.min(month * DAYS_PER_MONTH, horizonDays);
    const purchasesByEnd = expected(end);
    const discount = Math.pow(1 + monthlyDiscountRate, end / DAYS_PER_MONTH);
    value += (purchasesByEnd - purchasesSoFar) / discount;
    purchasesSoFar = purchasesByEnd;
  }
  return value;
}
