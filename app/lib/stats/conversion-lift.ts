/**
 * Conversion of the treated group against the holdout, with a 95% interval for the difference.
 * Newcombe's hybrid score interval (built from the two Wilson intervals) rather than the
 * textbook Wald one: win-back conversions are small proportions in smallish groups, where the
 * Wald interval is too narrow and can run below zero.
 */
const Z95 = 1.959964;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for k successes in n trials. */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Lift {
  treatedRate: number;
  holdoutRate: number;
  /** treatedRate − holdoutRate, in proportion points. */
  difference: number;
  interval: Interval;
  /** Relative change over the holdout's rate; null when the holdout converted nobody. */
  relative: number | null;
  /** The interval excludes zero. */
  significant: boolean;
}

/** Null when either group is empty: there is nothing to compare yet. */
export function conversionLift(
  treated: { converted: number; total: number },
  holdout: { converted: number; total: number },
): Lift | null {
  if (treated.total === 0 || holdout.total === 0) return null;
  const p1 = treated.converted / treated.total;
  const p2 = holdout.converted / holdout.total;
  const w1 = wilsonInterval(treated.converted, treated.total);
  const w2 = wilsonInterval(holdout.converted, holdout.total);
  const difference = p1 - p2;
  const interval = {
    low: difference - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: difference + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
  return {
    treatedRate: p1,
    holdoutRate: p2,
    difference,
    interval,
    relative: p2 > 0 ? p1 / p2 - 1 : null,
    significant: interval.low > 0 || interval.high < 0,
  };
}
