import { describe, expect, it } from "vitest";
import { differenceInterval, wilsonInterval } from "./ab-test";
import { stickyVariant } from "./sticky-variant.server";

describe("A/B variants and their interval", () => {
  it("GIVEN a customer and a step WHEN the variant is picked again THEN it is the same, and customers split about evenly", () => {
    expect(stickyVariant(42n, "7:0")).toBe(stickyVariant("42", "7:0"));
    const picks = Array.from({ length: 2_000 }, (_, i) => stickyVariant(BigInt(i), "7:0"));
    const b = picks.filter((variant) => variant === "B").length;
    expect(b).toBeGreaterThan(900);
    expect(b).toBeLessThan(1_100);
  });

  it("GIVEN Newcombe's worked example (56/70 vs 48/80) WHEN the interval is computed THEN it matches the paper's method 10", () => {
    // Newcombe 1998, Statistics in Medicine 17:873-890, table II example (a): 0.0524 to 0.3339.
    const [low, high] = differenceInterval(
      { sent: 80, converted: 48 },
      { sent: 70, converted: 56 },
    ) ?? [NaN, NaN];
    expect(low).toBeCloseTo(0.0524, 4);
    expect(high).toBeCloseTo(0.3339, 4);
  });

  it("GIVEN counts WHEN the Wilson interval is computed THEN it matches the known value, and zero sends give none", () => {
    // Newcombe 1998 (single proportion paper) example: 81/263 → 0.2553 to 0.3662.
    const [low, high] = wilsonInterval(81, 263);
    expect(low).toBeCloseTo(0.2553, 4);
    expect(high).toBeCloseTo(0.3662, 4);
    expect(differenceInterval({ sent: 0, converted: 0 }, { sent: 5, converted: 1 })).toBeNull();
  });
});
