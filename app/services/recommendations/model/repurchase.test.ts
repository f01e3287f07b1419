import { describe, expect, it } from "vitest";
import { buildRepurchaseStats } from "./repurchase";
import { basket } from "./test-purchases";

describe("buildRepurchaseStats", () => {
  // c1 buys A twice, c2 buys A once; B is bought once each by c1 and c2.
  const purchases = [
    ...basket("c1", "o1", 0, ["A", "B"]),
    ...basket("c1", "o2", 5, ["A"]),
    ...basket("c2", "o3", 0, ["A", "B"]),
  ];

  it("is the share of buyers who bought again when unsmoothed", () => {
    const stats = buildRepurchaseStats(purchases, { priorStrength: 0 });
    expect(stats.get("A")?.rate).toBeCloseTo(1 / 2, 12);
    expect(stats.get("B")?.rate).toBe(0);
  });

  it("shrinks toward the catalogue-wide rate", () => {
    // 4 buyer–product pairs, 1 repeat: global rate 1/4; A = (1 + 2 · 1/4) / (2 + 2).
    const stats = buildRepurchaseStats(purchases, { priorStrength: 2 });
    expect(stats.get("A")?.rate).toBeCloseTo(1.5 / 4, 12);
    expect(stats.get("B")?.rate).toBeCloseTo(0.5 / 4, 12);
  });

  it("ignores guests, who cannot be recognised when they return", () => {
    const withGuests = [
      ...purchases,
      ...basket(null, "g1", 0, ["B"]),
      ...basket(null, "g2", 1, ["B"]),
    ];
    expect(buildRepurchaseStats(withGuests, { priorStrength: 0 }).get("B")?.rate).toBe(0);
  });

  it("gives each product its typical gap between a customer's purchases", () => {
    // A: gaps of 4 and 16 days (geometric mean 8); C: one gap of 30 days.
    const cycles = [
      ...basket("c1", "o1", 0, ["A", "C"]),
      ...basket("c1", "o2", 4, ["A"]),
      ...basket("c1", "o3", 20, ["A"]),
      ...basket("c1", "o4", 30, ["C"]),
    ];
    const stats = buildRepurchaseStats(cycles, { priorStrength: 0 });
    expect(stats.get("A")?.intervalDays).toBeCloseTo(8, 9);
    expect(stats.get("C")?.intervalDays).toBeCloseTo(30, 9);
  });

  it("shrinks a product's interval toward the shop's", () => {
    // Shop-wide log-gaps: ln 4, ln 16, ln 30; A alone has ln 4 and ln 16.
    const cycles = [
      ...basket("c1", "o1", 0, ["A", "C"]),
      ...basket("c1", "o2", 4, ["A"]),
      ...basket("c1", "o3", 20, ["A"]),
      ...basket("c1", "o4", 30, ["C"]),
    ];
    const shopLog = (Math.log(4) + Math.log(16) + Math.log(30)) / 3;
    const expected = Math.exp((Math.log(4) + Math.log(16) + 1 * shopLog) / 3);
    expect(buildRepurchaseStats(cycles, { priorStrength: 1 }).get("A")?.intervalDays).toBeCloseTo(
      expected,
      9,
    );
  });
});
