import { MS_PER_DAY } from "./types";

/**
 * Exponential decay: a purchase `halfLifeDays` older than `asOfMs` weighs half as much as one at
 * `asOfMs`. Purchases after `asOfMs` count as current rather than weighing more than 1.
 */
export function decayWeight(atMs: number, asOfMs: number, halfLifeDays: number): number {
  if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) return 1;
  const ageDays = Math.max(0, asOfMs - atMs) / MS_PER_DAY;
  return Math.pow(0.5, ageDays / halfLifeDays);
}
