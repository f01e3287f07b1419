import { describe, expect, it } from "vitest";
import { hitAtK, ndcgAtK } from "./metrics";

describe("hitAtK", () => {
  it("counts a hit only inside the top k", () => {
    const relevant = new Set(["c"]);
    expect(hitAtK(["a", "b", "c"], relevant, 3)).toBe(1);
    expect(hitAtK(["a", "b", "c"], relevant, 2)).toBe(0);
    expect(hitAtK([], relevant, 10)).toBe(0);
  });
});

describe("ndcgAtK", () => {
  it("is 1 for a perfect ranking and 0 with no relevant item", () => {
    expect(ndcgAtK(["a", "b", "x"], new Set(["a", "b"]), 3)).toBeCloseTo(1, 12);
    expect(ndcgAtK(["x", "y"], new Set(["a"]), 2)).toBe(0);
    expect(ndcgAtK(["a"], new Set(), 10)).toBe(0);
  });

  it("discounts a hit at rank r by log2(r + 1)", () => {
    // One relevant item at rank 3: DCG = 1/log2(4) = 0.5, ideal = 1.
    expect(ndcgAtK(["x", "y", "a"], new Set(["a"]), 3)).toBeCloseTo(0.5, 12);
  });

  it("normalises by the ideal over min(|relevant|, k) items", () => {
    // Relevant {a, b, c}, hits at ranks 1 and 3 of k = 3:
    // DCG = 1 + 1/2, ideal = 1 + 1/log2(3) + 1/2.
    const expected = 1.5 / (1 + 1 / Math.log2(3) + 0.5);
    expect(ndcgAtK(["a", "x", "b"], new Set(["a", "b", "c"]), 3)).toBeCloseTo(expected, 12);
    // k = 1 caps the ideal at one item, so a top hit is perfect however many are relevant.
    expect(ndcgAtK(["a", "x"], new Set(["a", "b", "c"]), 1)).toBeCloseTo(1, 12);
  });
});
