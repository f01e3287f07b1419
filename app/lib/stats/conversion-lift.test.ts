import { describe, expect, it } from "vitest";
import { conversionLift, wilsonInterval } from "./conversion-lift";

describe("conversion lift", () => {
  it("matches published Wilson intervals", () => {
    // Newcombe (1998), table I: 81/263 → 0.2553 to 0.3662.
    const interval = wilsonInterval(81, 263);
    expect(interval.low).toBeCloseTo(0.2553, 3);
    expect(interval.high).toBeCloseTo(0.3662, 3);
    expect(wilsonInterval(0, 10).low).toBe(0);
  });

  it("matches Newcombe's worked example for a difference of proportions", () => {
    // Newcombe (1998), method 10, example (a): 56/70 vs 48/80 → 0.0524 to 0.3339.
    const lift = conversionLift({ converted: 56, total: 70 }, { converted: 48, total: 80 });
    expect(lift?.difference).toBeCloseTo(0.2, 6);
    expect(lift?.interval.low).toBeCloseTo(0.0524, 3);
    expect(lift?.interval.high).toBeCloseTo(0.3339, 3);
    expect(lift?.significant).toBe(true);
    expect(lift?.relative).toBeCloseTo(56 / 70 / (48 / 80) - 1, 6);
  });

  it("says nothing without both groups, and no relative lift over a zero baseline", () => {
    expect(conversionLift({ converted: 3, total: 10 }, { converted: 0, total: 0 })).toBeNull();
    const lift = conversionLift({ converted: 3, total: 100 }, { converted: 0, total: 10 });
    expect(lift?.relative).toBeNull();
    expect(lift?.significant).toBe(false);
  });
});
