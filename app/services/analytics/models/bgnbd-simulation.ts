/**
 * Draws customer summaries from the BG/NBD generative process (Fader, Hardie & Lee 2005, §3,
 * assumptions i–v) with a seeded PRNG: for tests that need a known truth (parameter recovery) or
 * a large input (fit timing), and for benchmarks. Deterministic for a given seed.
 */
import { seededRandom } from "~/lib/seeded-random";
import type { BgNbdParams, BgNbdSummary } from "./bgnbd-types";

export { seededRandom };

/** (0, 1]: never 0, so its log is finite. */
function openUniform(random: () => number): number {
  return 1 - random();
}

function standardNormal(random: () => number): number {
  // Box–Muller; one of the pair is discarded to keep the generator stateless.
  return Math.sqrt(-2 * Math.log(openUniform(random))) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate 1) by Marsaglia & Tsang (2000); shape < 1 via the U^(1/shape) boost. */
export function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) {
    return sampleGamma(shape + 1, random) * Math.pow(openUniform(random), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const normal = standardNormal(random);
    const base = 1 + c * normal;
    if (base <= 0) continue;
    const v = base * base * base;
    if (Math.log(openUniform(random)) < 0.5 * normal * normal + d - d * v + d * Math.log(v)) {
      return d * v;
    }
  }
}

export interface SimulationOptions {
  customers: number;
  /** Customers' ages T are drawn uniformly from (0, maxAge]. */
  maxAge: number;
  seed: number;
}

/**
 * One summary per customer: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases follow a Poisson process
 * with rate λ from the first purchase at time 0, and after each repeat purchase the customer
 * drops out with probability p.
 */
export function simulateBgNbdSummaries(
  params: BgNbdParams,
  { customers, maxAge, seed }: SimulationOptions,
): BgNbdSummary[] {
  const random = seededRandom(seed);
  const summaries: BgNbdSummary[] = [];
  for (let i = 0; i < customers; i++) {
    const rate = sampleGamma(params.r, random) / params.alpha;
    const aShare = sampleGamma(params.a, random);
    const dropout = aShare / (aShare + sampleGamma(params.b, random));
    const T = maxAge * openUniform(random);
    let x = 0;
    let tx = 0;
    for (let now = 0; ;) {
      now += -Math.log(openUniform(random)) / rate;
      if (now > T) break;
      x++;
      tx = now;
      if (random() < dropout) break;
    }
    summaries.push({ x, tx, T });
  }
  return summaries;
}
