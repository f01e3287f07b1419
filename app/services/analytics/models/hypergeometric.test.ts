import { describe, expect, it } from "vitest";
import { NumericalError } from "./errors";
import { hyp2f1, scaledHyp2f1 } from "./hypergeometric";

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
}

describe("hyp2f1", () => {
  // Closed forms (A&S 15.1.3, 15.1.6, 15.1.8) covering the direct series (z ≤ 0.9), the 1 − z
  // transformation (z > 0.9) and its integer c − a − b special case (2F1(1,1;2;z): c − a − b = 0).
  const arguments_ = [0.1, 0.5, 0.9, 0.91, 0.95, 0.99, 0.999];

  it.each(arguments_)("2F1(1, 1; 2; %s) = −ln(1 − z)/z", (z) => {
    expectRelative(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-9);
  });

  it.each(arguments_)("2F1(1/2, 1/2; 3/2; z²) = arcsin(z)/z at z = %s", (z) => {
    expectRelative(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z, 1e-12);
  });

  it.each(arguments_)("2F1(a, b; b; z) = (1 − z)^(−a) at z = %s", (z) => {
    expectRelative(hyp2f1(2.3, 1.1, 1.1, z), Math.pow(1 - z, -2.3), 1e-12);
  });

  it("is continuous where it switches from the series to the transformation", () => {
    const below = hyp2f1(2.243, 4.426, 5.219, 0.9);
    const above = hyp2f1(2.243, 4.426, 5.219, 0.9 + 1e-12);
    expectRelative(above, below, 1e-9);
  });

  it("handles negative arguments (Pfaff) : 2F1(1, 1; 2; z) at z = −3", () => {
    expectRelative(hyp2f1(1, 1, 2, -3), Math.log(4) / 3, 1e-12);
  });

  it("keeps (1 − z)^A · 2F1 finite when 2F1 alone would overflow", () => {
    // 2F1(a, b; b; z) (1 − z)^a = 1 exactly, with (1 − z)^(−a) ≈ 10^600.
    const z = 1 - 1e-6;
    expectRelative(scaledHyp2f1(100, 3, 3, z, 100 * Math.log1p(-z)), 1, 1e-9);
    const big = 1000;
    expectRelative(scaledHyp2f1(big, 2.5, 2.5, 0.5, big * Math.log(0.5)), 1, 1e-10);
  });

  it("rejects z ≥ 1 and non-positive integer c", () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(NumericalError);
    expect(() => hyp2f1(1, 1, -2, 0.3)).toThrow(NumericalError);
  });
});
