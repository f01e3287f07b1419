/**
 * Gaussian hypergeometric function ₂F₁(a, b; c; z) for real z < 1, as needed by the BG/NBD
 * conditional expectation (Fader, Hardie & Lee 2005, eq. 10), whose argument is
 * z = t / (α + T + t) ∈ [0, 1) and approaches 1 for long horizons or young customers.
 *
 * - |z| ≤ 0.9: the defining power series (A&S 15.1.1). For the BG/NBD arguments every term is
 *   positive, so there is no cancellation; terms can first grow like (1 − z)^(−x) for a customer
 *   with many purchases, so the running sum is kept with a separate power-of-e scale.
 * - 0.9 < z < 1: the series converges too slowly, so use the 1 − z transformation (A&S 15.3.6),
 *   whose two series run in 1 − z < 0.1. It is singular when c − a − b is an integer (A&S 15.3.10
 *   gives the logarithmic limit); there we extrapolate from the transformation at c ± δ, c ± 2δ,
 *   which is accurate because ₂F₁ is smooth in c.
 * - z < −1: Pfaff's transformation (A&S 15.3.4) maps z to z / (z − 1) ∈ (0.5, 1).
 */
import { NumericalError } from "./errors";
import { gammaSign, logAbsGamma } from "./gamma-function";

const DIRECT_SERIES_MAX_ARGUMENT = 0.9;
const RELATIVE_TOLERANCE = 1e-16;
const MAX_SERIES_TERMS = 1_000_000;
/** Rescale the running sum by e^−LOG_RESCALE when it passes e^LOG_RESCALE, to avoid overflow. */
const LOG_RESCALE = 500;
const RESCALE_THRESHOLD = Math.exp(LOG_RESCALE);
/** δ of the c ± δ extrapolation used when c − a − b is within δ/2 of an integer. */
const INTEGER_GAP_STEP = 1e-5;

/** `value × e^logScale`, so intermediate results can exceed the double range. */
interface ScaledNumber {
  value: number;
  logScale: number;
}

function isNonPositiveInteger(value: number): boolean {
  return value <= 0 && Number.isInteger(value);
}

/** Σₖ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ for |z| < 1. */
function powerSeries(a: number, b: number, c: number, z: number): ScaledNumber {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < MAX_SERIES_TERMS; k++) {
    const denominator = (c + k) * (k + 1);
    if (denominator === 0) {
      throw new NumericalError(`2F1 series: c = ${c} is a non-positive integer`);
    }
    term *= (((a + k) * (b + k)) / denominator) * z;
    sum += term;
    if (term === 0) return { value: sum, logScale };
    // Stop once the rest of the series, bounded by a geometric tail with the next ratio, is
    // negligible. The ratio tends to z, so it is eventually below 1.
    const nextRatio = Math.abs(((a + k + 1) * (b + k + 1) * z) / ((c + k + 1) * (k + 2)));
    if (nextRatio < 1 && Math.abs(term) / (1 - nextRatio) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
      return { value: sum, logScale };
    }
    if (Math.abs(sum) > RESCALE_THRESHOLD) {
      sum /= RESCALE_THRESHOLD;
      term /= RESCALE_THRESHOLD;
      logScale += LOG_RESCALE;
    }
  }
  throw new NumericalError(`2F1(${a}, ${b}; ${c}; ${z}) series did not converge`);
}

/** sign × e^logMagnitude × series, or 0 when the sign is 0 (a 1/Γ at a pole). */
function combine(sign: number, logMagnitude: number, series: ScaledNumber): number {
  if (sign === 0 || series.value === 0) return 0;
  return sign * series.value * Math.exp(logMagnitude + series.logScale);
}

/**
 * e^logFactor × ₂F₁(a, b; c; z) via A&S 15.3.6, for 0 < z < 1 and c − a − b not an integer:
 *   Γ(c)Γ(m) / (Γ(c−a)Γ(c−b)) · ₂F₁(a, b; 1−m; 1−z)
 * + (1−z)^m Γ(c)Γ(−m) / (Γ(a)Γ(b)) · ₂F₁(c−a, c−b; 1+m; 1−z),   with m = c − a − b.
 */
function oneMinusZTransformation(
  a: number,
  b: number,
  c: number,
  z: number,
  logFactor: number,
): number {
  const m = c - a - b;
  const w = 1 - z;
  const firstSign = gammaSign(c) * gammaSign(m) * gammaSign(c - a) * gammaSign(c - b);
  const firstLog = logAbsGamma(c) + logAbsGamma(m) - logAbsGamma(c - a) - logAbsGamma(c - b);
  const secondSign = gammaSign(c) * gammaSign(-m) * gammaSign(a) * gammaSign(b);
  const secondLog =
    m * Math.log(w) + logAbsGamma(c) + logAbsGamma(-m) - logAbsGamma(a) - logAbsGamma(b);
  // A zero sign on a denominator Γ means 1/Γ = 0 there; the term vanishes rather than blowing up.
  const first =
    gammaSign(c - a) === 0 || gammaSign(c - b) === 0
      ? 0
      : combine(firstSign, firstLog + logFactor, powerSeries(a, b, 1 - m, w));
  const second =
    gammaSign(a) === 0 || gammaSign(b) === 0
      ? 0
      : combine(secondSign, secondLog + logFactor, powerSeries(c - a, c - b, 1 + m, w));
  return first + second;
}

/**
 * e^logFactor × ₂F₁(a, b; c; z) for 0.9 < z < 1. For integer c − a − b, the symmetric average
 * S(δ) of the transformation at c ± δ has error ~ δ² ln²(1 − z); Richardson extrapolation
 * (4 S(δ) − S(2δ)) / 3 removes that term, leaving rounding error of order ε/δ.
 */
function nearOne(a: number, b: number, c: number, z: number, logFactor: number): number {
  const m = c - a - b;
  if (Math.abs(m - Math.round(m)) >= INTEGER_GAP_STEP / 2) {
    return oneMinusZTransformation(a, b, c, z, logFactor);
  }
  const symmetricAverage = (step: number) =>
    (oneMinusZTransformation(a, b, c + step, z, logFactor) +
      oneMinusZTransformation(a, b, c - step, z, logFactor)) /
    2;
  return (4 * symmetricAverage(INTEGER_GAP_STEP) - symmetricAverage(2 * INTEGER_GAP_STEP)) / 3;
}

/**
 * e^logFactor × ₂F₁(a, b; c; z) for real z < 1. Callers multiply ₂F₁ by a power of (1 − z) that
 * can be tiny while ₂F₁ is huge; passing the power's log here keeps both in range.
 */
export function scaledHyp2f1(a: number, b: number, c: number, z: number, logFactor = 0): number {
  if (!(z < 1)) throw new NumericalError(`2F1 needs z < 1, got ${z}`);
  if (isNonPositiveInteger(c)) throw new NumericalError(`2F1 undefined for c = ${c}`);
  if (z === 0) return Math.exp(logFactor);
  if (z < -1) {
    // Pfaff: ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)).
    return scaledHyp2f1(a, c - b, c, z / (z - 1), logFactor - a * Math.log1p(-z));
  }
  if (z <= DIRECT_SERIES_MAX_ARGUMENT) {
    const series = powerSeries(a, b, c, z);
    return series.value * Math.exp(series.logScale + logFactor);
  }
  return nearOne(a, b, c, z, logFactor);
}

/** ₂F₁(a, b; c; z) for real z < 1. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return scaledHyp2f1(a, b, c, z);
}
