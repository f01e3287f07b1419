import { describe, expect, it } from "vitest";
import { gammaSign, logAbsGamma, logBeta, logGamma } from "./gamma-function";

describe("logGamma", () => {
  it("matches factorials and Γ(1/2) = √π", () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(2)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // ln Γ(171) = ln 170!, near the top of the double range of Γ itself.
    let logFactorial = 0;
    for (let k = 2; k <= 170; k++) logFactorial += Math.log(k);
    expect(logGamma(171) / logFactorial).toBeCloseTo(1, 13);
  });

  it("satisfies Γ(x + 1) = xΓ(x) across the Stirling switch-over", () => {
    for (const x of [1e-6, 0.3, 2.7, 14.2, 14.99, 15.01, 80.5]) {
      expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 12);
    }
  });
});

describe("logAbsGamma and gammaSign on negative arguments", () => {
  it("uses the reflection formula with the right sign", () => {
    // Γ(−0.5) = −2√π, Γ(−1.5) = 4√π/3
    expect(logAbsGamma(-0.5)).toBeCloseTo(Math.log(2 * Math.sqrt(Math.PI)), 13);
    expect(gammaSign(-0.5)).toBe(-1);
    expect(logAbsGamma(-1.5)).toBeCloseTo(Math.log((4 * Math.sqrt(Math.PI)) / 3), 13);
    expect(gammaSign(-1.5)).toBe(1);
    expect(gammaSign(-2)).toBe(0);
    expect(logAbsGamma(-2)).toBe(Infinity);
  });
});

describe("logBeta", () => {
  it("matches B(2, 3) = 1/12", () => {
    expect(logBeta(2, 3)).toBeCloseTo(-Math.log(12), 14);
  });
});
