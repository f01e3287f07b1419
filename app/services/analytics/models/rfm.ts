/**
 * Per-shop RFM scores (1–5 each) and the common 11-segment naming.
 *
 * Scores come from quintile thresholds [t1, t2, t3, t4] computed over the shop's customers (or
 * overridden by the merchant). Scoring compares values with the thresholds, never ranks, so ties
 * are deterministic: equal values always get equal scores, whatever the input order.
 *   frequency, monetary (higher is better): score = 1 + #{i : value > tᵢ}
 *   recency in days (lower is better):      score = 5 − #{i : days > tᵢ}
 * On skewed data thresholds can coincide (e.g. most customers have 1 order), and then some
 * scores are simply unused rather than splitting equal customers arbitrarily.
 */
import { InvalidThresholdsError } from "./errors";

export type Quartet = readonly [number, number, number, number];

export interface RfmThresholds {
  recencyDays: Quartet;
  frequency: Quartet;
  monetary: Quartet;
}

export interface RfmInput {
  recencyDays: number;
  frequency: number;
  monetary: number;
}

export type RfmScore = 1 | 2 | 3 | 4 | 5;

export interface RfmScores {
  r: RfmScore;
  f: RfmScore;
  m: RfmScore;
}

/** Every RFM segment, from the best customers to the lost. */
export const RFM_SEGMENTS = [
  "champions",
  "loyal",
  "potential_loyalist",
  "new",
  "promising",
  "needs_attention",
  "about_to_sleep",
  "at_risk",
  "cant_lose",
  "hibernating",
  "lost",
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * Nearest-rank quintile cut points: tᵢ is the smallest value with at least i/5 of the values at or
 * below it, so "value ≤ t1" is (at least) the bottom fifth. Empty input gives all zeros.
 */
function quintileThresholds(values: readonly number[]): Quartet {
  const sorted = values.filter(Number.isFinite).sort((left, right) => left - right);
  const at = (fifths: number): number =>
    sorted[Math.max(0, Math.ceil((sorted.length * fifths) / 5) - 1)] ?? 0;
  return [at(1), at(2), at(3), at(4)];
}

export function computeRfmThresholds(values: {
  recencyDays: readonly number[];
  frequency: readonly number[];
  monetary: readonly number[];
}): RfmThresholds {
  return {
    recencyDays: quintileThresholds(values.recencyDays),
    frequency: quintileThresholds(values.frequency),
    monetary: quintileThresholds(values.monetary),
  };
}

function assertQuartet(name: string, quartet: readonly number[]): void {
  const valid =
    quartet.length === 4 &&
    quartet.every(Number.isFinite) &&
    quartet.every((value, i) => i === 0 || value >= (quartet[i - 1] ?? value));
  if (!valid) {
    throw new InvalidThresholdsError(
      `${name} thresholds must be 4 finite, non-decreasing numbers, got [${quartet.join(", ")}]`,
    );
  }
}

/**
 * Merchant overrides replace the computed thresholds dimension by dimension.
 * @throws InvalidThresholdsError when an override is not 4 finite non-decreasing numbers.
 */
export function withThresholdOverrides(
  computed: RfmThresholds,
  overrides: Partial<RfmThresholds> = {},
): RfmThresholds {
  const merged = { ...computed, ...overrides };
  assertQuartet("recencyDays", merged.recencyDays);
  assertQuartet("frequency", merged.frequency);
  assertQuartet("monetary", merged.monetary);
  return merged;
}

function countAbove(value: number, thresholds: Quartet): number {
  return thresholds.filter((threshold) => value > threshold).length;
}

function asScore(value: number): RfmScore {
  return Math.min(5, Math.max(1, value)) as RfmScore;
}

export function scoreRfm(customer: RfmInput, thresholds: RfmThresholds): RfmScores {
  return {
    r: asScore(5 - countAbove(customer.recencyDays, thresholds.recencyDays)),
    f: asScore(1 + countAbove(customer.frequency, thresholds.frequency)),
    m: asScore(1 + countAbove(customer.monetary, thresholds.monetary)),
  };
}

/**
 * The common 11-segment RFM map, on the R × F grid, with M breaking two cells:
 *
 *   R \ F |  1                 |  2                  |  3                  |  4                  |  5
 *   ------+--------------------+---------------------+---------------------+---------------------+-----------
 *     5   | new                | potential_loyalist  | potential_loyalist  | champions           | champions
 *     4   | promising          | potential_loyalist  | potential_loyalist  | loyal               | loyal
 *     3   | about_to_sleep     | about_to_sleep      | needs_attention     | loyal               | loyal
 *     2   | hibernating        | hibernating         | at_risk             | at_risk (cant_lose*)| cant_lose
 *     1   | lost† / hibernating| lost† / hibernating | at_risk             | at_risk (cant_lose*)| cant_lose
 *
 *   * cant_lose when M = 5: big spenders who bought often and have gone quiet.
 *   † lost when M ≤ 2: oldest, least frequent and lowest-spending; otherwise hibernating.
 */
export function rfmSegment(r: RfmScore, f: RfmScore, m: RfmScore): RfmSegment {
  if (r === 5) return f === 1 ? "new" : f <= 3 ? "potential_loyalist" : "champions";
  if (r === 4) return f === 1 ? "promising" : f <= 3 ? "potential_loyalist" : "loyal";
  if (r === 3) return f <= 2 ? "about_to_sleep" : f === 3 ? "needs_attention" : "loyal";
  if (f === 5 || (f === 4 && m === 5)) return "cant_lose";
  if (f >= 3) return "at_risk";
  return r === 1 && m <= 2 ? "lost" : "hibernating";
}
