import { describe, expect, it } from "vitest";
import { buildRepurchaseRates } from "./repurchase";
import { basket } from "./test-purchases";

describe("buildRepurchaseRates", () => {
  // c1 buys A twice, c2 buys A once; B is bought once each by c1 and c2.
  const purchases = [
    ...basket("c1", "o1", 0, ["A", "B"]),
    ...basket("c1", "o2", 5, ["A"]),
    ...basket("c2", "o3", 0, ["A", "B"]),
  ];

  it("is the share of buyers who bought again when unsmoothed", () => {
    const rates = buildRepurchaseRates(purchases, { priorStrength: 0 });
    expect(rates.get("A")).toBeCloseTo(1 / 2, 12);
    expect(rates.get("B")).toBe(0);
  });

  it("shrinks toward the catalogue-wide rate", () => {
    // 4 buyer–product pairs, 1 repeat: global rate 1/4; A = (1 + 2 · 1/4) / (2 + 2).
    const rates = buildRepurchaseRates(purchases, { priorStrength: 2 });
    expect(rates.get("A")).toBeCloseTo(1.5 / 4, 12);
    expect(rates.get("B")).toBeCloseTo(0.5 / 4, 12);
  });

  it("ignores guests, who cannot be recognised when they return", () => {
    const withGuests = [
      ...purchases,
      ...basket(null, "g1", 0, ["B"]),
      ...basket(null, "g2", 1, ["B"]),
    ];
    expect(buildRepurchaseRates(withGuests, { priorStrength: 0 }).get("B")).toBe(0);
  });
});
