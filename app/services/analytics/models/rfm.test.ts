import { describe, expect, it } from "vitest";
import { InvalidThresholdsError } from "./errors";
import type { RfmScore } from "./rfm";
import { computeRfmThresholds, rfmSegment, scoreRfm, withThresholdOverrides } from "./rfm";

// Ten customers: quintile cut points are the 2nd, 4th, 6th and 8th smallest values.
const recencyDays = [5, 1, 300, 40, 12, 90, 200, 25, 60, 150];
const frequency = [1, 1, 1, 1, 2, 2, 3, 5, 8, 13];
const monetary = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

describe("computeRfmThresholds", () => {
  it("takes nearest-rank quintiles", () => {
    expect(computeRfmThresholds({ recencyDays, frequency, monetary })).toEqual({
      recencyDays: [5, 25, 60, 150],
      frequency: [1, 1, 2, 5],
      monetary: [20, 40, 60, 80],
    });
  });

  it("returns zeros for an empty shop", () => {
    const thresholds = computeRfmThresholds({ recencyDays: [], frequency: [], monetary: [] });
    expect(thresholds.frequency).toEqual([0, 0, 0, 0]);
  });
});

describe("scoreRfm", () => {
  const thresholds = computeRfmThresholds({ recencyDays, frequency, monetary });

  it("gives recent customers high R and big spenders high F and M", () => {
    expect(scoreRfm({ recencyDays: 1, frequency: 13, monetary: 100 }, thresholds)).toEqual({
      r: 5,
      f: 5,
      m: 5,
    });
    expect(scoreRfm({ recencyDays: 300, frequency: 1, monetary: 10 }, thresholds)).toEqual({
      r: 1,
      f: 1,
      m: 1,
    });
    // on a threshold: recency 25 ≤ t2 → 4; monetary 40 is not > t2 → 2
    expect(scoreRfm({ recencyDays: 25, frequency: 2, monetary: 40 }, thresholds)).toEqual({
      r: 4,
      f: 3,
      m: 2,
    });
  });

  it("scores ties equally regardless of order: all one-order customers share F = 1", () => {
    const scores = frequency.map(
      (f) => scoreRfm({ recencyDays: 1, frequency: f, monetary: 1 }, thresholds).f,
    );
    expect(scores).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 5, 5]);
  });

  it("applies merchant overrides per dimension and validates them", () => {
    const custom = withThresholdOverrides(thresholds, { recencyDays: [7, 30, 90, 180] });
    expect(custom.frequency).toEqual(thresholds.frequency);
    expect(scoreRfm({ recencyDays: 60, frequency: 1, monetary: 1 }, custom).r).toBe(3);
    expect(() => withThresholdOverrides(thresholds, { monetary: [100, 50, 200, 300] })).toThrow(
      InvalidThresholdsError,
    );
    expect(() =>
      withThresholdOverrides(thresholds, {
        frequency: [1, 2, 3] as unknown as [number, number, number, number],
      }),
    ).toThrow(InvalidThresholdsError);
  });
});

describe("rfmSegment", () => {
  const cases: [RfmScore, RfmScore, RfmScore, string][] = [
    [5, 5, 5, "champions"],
    [5, 4, 1, "champions"],
    [4, 5, 3, "loyal"],
    [3, 4, 3, "loyal"],
    [5, 2, 3, "potential_loyalist"],
    [4, 3, 3, "potential_loyalist"],
    [5, 1, 1, "new"],
    [4, 1, 4, "promising"],
    [3, 3, 3, "needs_attention"],
    [3, 1, 5, "about_to_sleep"],
    [2, 3, 2, "at_risk"],
    [1, 4, 4, "at_risk"],
    [1, 4, 5, "cant_lose"],
    [2, 5, 1, "cant_lose"],
    [2, 2, 1, "hibernating"],
    [1, 1, 3, "hibernating"],
    [1, 2, 2, "lost"],
    [1, 1, 1, "lost"],
  ];

  it.each(cases)("R%i F%i M%i → %s", (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it("names every one of the 125 score combinations with one of the 11 segments", () => {
    const scores: RfmScore[] = [1, 2, 3, 4, 5];
    const names = new Set(
      scores.flatMap((r) => scores.flatMap((f) => scores.map((m) => rfmSegment(r, f, m)))),
    );
    expect(names.size).toBe(11);
  });
});
