/**
 * Shared shapes of the BG/NBD model, in its own file so the likelihood and the predictions can
 * import them without importing each other.
 */
import { InvalidParametersError } from "./errors";

/**
 * One customer's purchase history in the caller's time unit (the app uses days):
 * x repeat purchases (purchase *days* after the first), the last at tₓ and the customer aged T,
 * both measured from the first purchase.
 */
export interface BgNbdSummary {
  x: number;
  tx: number;
  T: number;
}

/**
 * Purchase rate λ ~ Gamma(shape r, rate α) — α is in the summaries' time unit — and dropout
 * probability after each purchase p ~ Beta(a, b).
 */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

const positiveFinite = (value: number) => value > 0 && value < Infinity;

/** Called for every prediction (tens per customer), so the valid case does no allocation. */
export function assertBgNbdParams(params: BgNbdParams): void {
  const { r, alpha, a, b } = params;
  if (positiveFinite(r) && positiveFinite(alpha) && positiveFinite(a) && positiveFinite(b)) return;
  for (const [name, value] of Object.entries(params)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new InvalidParametersError(`BG/NBD ${name} must be finite and > 0, got ${value}`);
    }
  }
}
