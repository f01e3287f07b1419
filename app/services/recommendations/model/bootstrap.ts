/**
 * Paired bootstrap interval of a mean difference: resample the cases (each scored by both
 * recommenders) with replacement and read the 2.5th and 97.5th percentiles of the resampled
 * means. Fixed seed, so the same data prints the same interval.
 */
import { seededRandom } from "~/lib/seeded-random";

export function pairedBootstrapCi(
  differences: ArrayLike<number>,
  options: { resamples?: number; seed?: number; level?: number } = {},
): [number, number] {
  const n = differences.length;
  if (n === 0) return [0, 0];
  const resamples = options.resamples ?? 1000;
  const random = seededRandom(options.seed ?? 20_261_203);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[Math.floor(random() * n)] ?? 0;
    means[r] = sum / n;
  }
  means.sort();
  const tail = (1 - (options.level ?? 0.95)) / 2;
  const at = (q: number) =>
    means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))] ?? 0;
  return [at(tail), at(1 - tail)];
}
