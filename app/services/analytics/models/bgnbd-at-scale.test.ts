import { describe, expect, it } from "vitest";
import { fitBgNbd } from "./bgnbd";
import { simulateBgNbdSummaries } from "./bgnbd-simulation";

/** CDNOW-like population in days (α = 7 × 4.414). */
const TRUTH = { r: 0.243, alpha: 30.898, a: 0.793, b: 2.426 };
const CUSTOMERS = 200_000;

// Its speed goal (a fit on 200k customers in < 10 s) is carried by `npm run bench` (analytics).
describe("fitBgNbd at scale", () => {
  it(`recovers the truth from ${CUSTOMERS.toLocaleString("en")} synthetic summaries`, () => {
    const summaries = simulateBgNbdSummaries(TRUTH, {
      customers: CUSTOMERS,
      maxAge: 730,
      seed: 20250,
    });
    const fit = fitBgNbd(summaries);
    expect(fit.converged).toBe(true);
    // 200k customers pin the parameters to within a few percent of the truth.
    for (const name of ["r", "alpha", "a", "b"] as const) {
      expect(Math.abs(fit.params[name] / TRUTH[name] - 1)).toBeLessThan(0.05);
    }
  });
});
