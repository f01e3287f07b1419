import { describe, expect, it } from "vitest";
import { indexPurchases } from "./purchase-index";
import { measureRepeatSignal } from "./repeat-signal";
import { basket } from "./test-purchases";
import type { Purchase } from "./types";

/** A small LCG so the shuffles are the same on every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const measure = (purchases: Purchase[]) =>
  measureRepeatSignal(indexPurchases(purchases), { shuffles: 10, random: lcg(1) });

describe("measureRepeatSignal", () => {
  it("finds personal signal when each customer rebuys their own product", () => {
    // Ten customers, each loyal to one product of their own, three orders each.
    const purchases = Array.from({ length: 10 }, (_, c) =>
      [0, 10, 20].flatMap((day) => basket(`c${c}`, `c${c}-${day}`, day, [`p${c}`])),
    ).flat();
    const signal = measure(purchases);
    expect(signal.customers).toBe(10);
    expect(signal.repeatShare).toBe(1);
    // Every target product is caught; chance would catch one in ten.
    expect(signal.lift).toBeCloseTo(10, 6);
    expect(signal.shuffledLift.mean).toBeLessThan(5);
  });

  it("finds none when everyone buys the same thing", () => {
    const purchases = Array.from({ length: 6 }, (_, c) =>
      [0, 10].flatMap((day) => basket(`c${c}`, `c${c}-${day}`, day, ["milk"])),
    ).flat();
    const signal = measure(purchases);
    expect(signal.lift).toBe(1);
    expect(signal.shuffledLift).toEqual({ mean: 1, low: 1, high: 1 });
  });

  it("leaves out guests and one-order customers", () => {
    const purchases = [
      ...basket(null, "g1", 0, ["a"]),
      ...basket(null, "g2", 5, ["a"]),
      ...basket("once", "o1", 0, ["a"]),
      ...basket("twice", "t1", 0, ["a"]),
      ...basket("twice", "t2", 5, ["b"]),
    ];
    const signal = measure(purchases);
    expect(signal.customers).toBe(1);
    expect(signal.repeatShare).toBe(0);
    expect(signal.lift).toBe(0);
  });
});
