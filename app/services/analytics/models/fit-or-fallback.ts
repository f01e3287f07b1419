/**
 * Fit the shop's own BG/NBD and Gamma-Gamma models when it has the data for it; otherwise return
 * documented pooled priors so every shop gets finite predictions. Never throws, never returns NaN.
 */
import type { BgNbdParams, BgNbdSummary } from "./bgnbd";
import { fitBgNbd } from "./bgnbd";
import type { GammaGammaParams } from "./gamma-gamma";
import { fitGammaGamma, spendCustomers } from "./gamma-gamma";

/**
 * Pooled BG/NBD prior: the CDNOW estimates reported by Fader, Hardie & Lee (2005) (r = 0.243,
 * α = 4.414 weeks, a = 0.793, b = 2.426), with α rescaled to the caller's unit.
 * r, a, b are unit-free; λ ~ Gamma(r, α) has mean r/α per week, so α in days is 7 × 4.414.
 * CDNOW is a music retailer with infrequent purchases: a conservative prior for a young shop.
 */
export const CDNOW_BGNBD_WEEKS: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const DAYS_PER_WEEK = 7;

/**
 * Pooled Gamma-Gamma prior: the CDNOW estimates reported in Fader, Hardie & Lee (2005), "RFM and
 * CLV", and Fader & Hardie's note 025 (p = 6.25, q = 3.74, γ = 15.44, in US dollars). p and q set the shape of spend heterogeneity;
 * γ is a currency scale, so it is rescaled to make the prior mean spend pγ/(q − 1) equal the
 * shop's own mean spend when there is any.
 */
export const CDNOW_GAMMA_GAMMA: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

export type ModelBasis = "fitted" | "pooled_prior";

export type FallbackReason =
  | "fitted"
  | "too_few_repeat_customers"
  | "did_not_converge"
  | "implausible_estimates"
  | "invalid_input";

export interface ModelChoice<Params> {
  params: Params;
  basis: ModelBasis;
  reason: FallbackReason;
  /** Human-readable detail for logs and the merchant-facing "why" tooltip. */
  detail: string;
}

export interface FallbackOptions {
  /** Fit only with at least this many customers with x ≥ 1 (default 30). */
  minRepeatCustomers?: number;
  /** Length of the summaries' time unit in days (default 1, i.e. summaries in days). */
  daysPerTimeUnit?: number;
}

export interface CustomerHistory extends BgNbdSummary {
  /** Mean value of the repeat purchases; 0 when x = 0. */
  zbar: number;
}

const DEFAULT_MIN_REPEAT_CUSTOMERS = 30;
/** Estimates outside this range mean the likelihood ran off to a boundary, not a real optimum. */
const PLAUSIBLE_RANGE = [1e-4, 1e5] as const;

function plausible(values: number[]): boolean {
  return values.every(
    (value) => Number.isFinite(value) && value >= PLAUSIBLE_RANGE[0] && value <= PLAUSIBLE_RANGE[1],
  );
}

export function pooledBgNbdPrior(daysPerTimeUnit = 1): BgNbdParams {
  const alphaDays = CDNOW_BGNBD_WEEKS.alpha * DAYS_PER_WEEK;
  return { ...CDNOW_BGNBD_WEEKS, alpha: alphaDays / daysPerTimeUnit };
}

export function pooledGammaGammaPrior(meanSpend?: number): GammaGammaParams {
  const { p, q } = CDNOW_GAMMA_GAMMA;
  if (meanSpend === undefined || !(Number.isFinite(meanSpend) && meanSpend > 0)) {
    return { ...CDNOW_GAMMA_GAMMA };
  }
  return { p, q, gamma: (meanSpend * (q - 1)) / p };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function bgNbdOrFallback(
  summaries: readonly BgNbdSummary[],
  options: FallbackOptions = {},
): ModelChoice<BgNbdParams> {
  const { minRepeatCustomers = DEFAULT_MIN_REPEAT_CUSTOMERS, daysPerTimeUnit = 1 } = options;
  const unitIsValid = Number.isFinite(daysPerTimeUnit) && daysPerTimeUnit > 0;
  const prior = (reason: FallbackReason, detail: string): ModelChoice<BgNbdParams> => ({
    params: pooledBgNbdPrior(unitIsValid ? daysPerTimeUnit : 1),
    basis: "pooled_prior",
    reason,
    detail,
  });
  if (!unitIsValid) {
    return prior(
      "invalid_input",
      `daysPerTimeUnit must be > 0, got ${daysPerTimeUnit}; prior in days`,
    );
  }
  const repeaters = summaries.filter((summary) => summary.x > 0).length;
  if (repeaters < minRepeatCustomers) {
    return prior(
      "too_few_repeat_customers",
      `${repeaters} customers with a repeat purchase; need ${minRepeatCustomers}`,
    );
  }
  try {
    const fit = fitBgNbd(summaries);
    if (!fit.converged) return prior("did_not_converge", `stopped after ${fit.iterations} steps`);
    const { r, alpha, a, b } = fit.params;
    if (!plausible([r, alpha, a, b]) || !Number.isFinite(fit.logLikelihood)) {
      return prior("implausible_estimates", `r=${r} α=${alpha} a=${a} b=${b}`);
    }
    return {
      params: fit.params,
      basis: "fitted",
      reason: "fitted",
      detail: `LL=${fit.logLikelihood}`,
    };
  } catch (error) {
    return prior("invalid_input", describe(error));
  }
}

export function gammaGammaOrFallback(
  customers: readonly { x: number; zbar: number }[],
  options: Pick<FallbackOptions, "minRepeatCustomers"> = {},
): ModelChoice<GammaGammaParams> {
  const { minRepeatCustomers = DEFAULT_MIN_REPEAT_CUSTOMERS } = options;
  const usable = spendCustomers(customers).filter(({ zbar }) => Number.isFinite(zbar));
  const meanSpend =
    usable.length > 0 ? usable.reduce((sum, { zbar }) => sum + zbar, 0) / usable.length : undefined;
  const prior = (reason: FallbackReason, detail: string): ModelChoice<GammaGammaParams> => ({
    params: pooledGammaGammaPrior(meanSpend),
    basis: "pooled_prior",
    reason,
    detail,
  });
  if (usable.length < minRepeatCustomers) {
    return prior(
      "too_few_repeat_customers",
      `${usable.length} customers with repeat spend; need ${minRepeatCustomers}`,
    );
  }
  try {
    const fit = fitGammaGamma(customers);
    if (!fit.converged) return prior("did_not_converge", `stopped after ${fit.iterations} steps`);
    const { p, q, gamma } = fit.params;
    // q ≤ 1 means an infinite population mean spend: no usable expected order value for x = 0.
    if (!plausible([p, q, gamma]) || q <= 1) {
      return prior("implausible_estimates", `p=${p} q=${q} γ=${gamma}`);
    }
    return {
      params: fit.params,
      basis: "fitted",
      reason: "fitted",
      detail: `LL=${fit.logLikelihood}`,
    };
  } catch (error) {
    return prior("invalid_input", describe(error));
  }
}

/** Both models for one shop's customers, each fitted or replaced by its prior independently. */
export function fitOrFallback(
  customers: readonly CustomerHistory[],
  options: FallbackOptions = {},
): { bgnbd: ModelChoice<BgNbdParams>; gammaGamma: ModelChoice<GammaGammaParams> } {
  return {
    bgnbd: bgNbdOrFallback(customers, options),
    gammaGamma: gammaGammaOrFallback(customers, options),
  };
}
