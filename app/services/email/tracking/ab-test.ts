/**
 * What an email step's A/B test says: each variant's conversion rate and a 95% interval on the
 * difference (Newcombe's hybrid score interval from two Wilson intervals, which behaves with
 * small counts and rates near 0). Pure: the admin page computes it from the counts.
 */

export type Variant = "A" | "B";

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Wilson score interval for `successes` of `trials`. */
export function wilsonInterval(successes: number, trials: number, z = Z95): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials ** 2));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface VariantCounts {
  sent: number;
  /** Emails with at least one attributed order. */
  converted: number;
}

/**
 * 95% interval for rate(B) − rate(A) (Newcombe 1998, method 10). Null until both variants
 * have been sent.
 */
export function differenceInterval(a: VariantCounts, b: VariantCounts): [number, number] | null {
  if (a.sent === 0 || b.sent === 0) return null;
  const pa = a.converted / a.sent;
  const pb = b.converted / b.sent;
  const [la, ua] = wilsonInterval(a.converted, a.sent);
  const [lb, ub] = wilsonInterval(b.converted, b.sent);
  const d = pb - pa;
  return [
    d - Math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2),
    d + Math.sqrt((ub - pb) ** 2 + (pa - la) ** 2),
  ];
}
