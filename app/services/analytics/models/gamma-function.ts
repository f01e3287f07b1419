/**
 * Log-gamma on the whole real line. The likelihoods only need positive arguments, but the
 * 1 − z transformation of the hypergeometric function (hypergeometric.ts) needs Γ at negative
 * non-integers, with its sign.
 */

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** B₂ₖ / (2k(2k − 1)) for k = 1..8: the Stirling series coefficients (Abramowitz & Stegun 6.1.40). */
const STIRLING_COEFFICIENTS = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/**
 * Below this the argument is shifted up with Γ(x + 1) = xΓ(x) first: at x ≥ 15 eight Stirling
 * terms are accurate to well under one ulp.
 */
const STIRLING_MIN_ARGUMENT = 15;

function stirlingLogGamma(x: number): number {
  const inverseSquare = 1 / (x * x);
  let correction = 0;
  let power = 1 / x;
  for (const coefficient of STIRLING_COEFFICIENTS) {
    correction += coefficient * power;
    power *= inverseSquare;
  }
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + correction;
}

/** sin(πx) with the argument reduced first, so it is exactly 0 at integers. */
export function sinPi(x: number): number {
  const reduced = x - 2 * Math.round(x / 2);
  if (reduced === 0 || Math.abs(reduced) === 1) return 0;
  return Math.sin(Math.PI * reduced);
}

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return logAbsGamma(x);
  if (x >= STIRLING_MIN_ARGUMENT) return stirlingLogGamma(x);
  // ln Γ(x) = ln Γ(x + n) − ln(x (x + 1) … (x + n − 1)); one log of the product is cheaper and
  // at least as accurate as summing n logs.
  let product = 1;
  let shifted = x;
  while (shifted < STIRLING_MIN_ARGUMENT) {
    product *= shifted;
    shifted += 1;
  }
  return stirlingLogGamma(shifted) - Math.log(product);
}

/** ln |Γ(x)| for any real x; +Infinity at the poles 0, −1, −2, … */
export function logAbsGamma(x: number): number {
  if (x > 0) return logGamma(x);
  const sine = sinPi(x);
  if (sine === 0) return Infinity;
  // Reflection: Γ(x) Γ(1 − x) = π / sin(πx)  (A&S 6.1.17).
  return Math.log(Math.PI) - Math.log(Math.abs(sine)) - logGamma(1 - x);
}

/** Sign of Γ(x): +1 for x > 0, the sign of sin(πx) for negative non-integers, 0 at the poles. */
export function gammaSign(x: number): -1 | 0 | 1 {
  if (x > 0) return 1;
  const sine = sinPi(x);
  if (sine === 0) return 0;
  return sine > 0 ? 1 : -1;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
