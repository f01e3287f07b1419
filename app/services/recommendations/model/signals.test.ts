import { describe, expect, it } from "vitest";
import { collectSignals, dueness, rankCandidates, SIGNALS, type ModelView } from "./signals";
import { signalWeights } from "./placements";
import { onDay } from "./test-purchases";
import type { ScoredProduct } from "./types";

const scored = (ids: string[]): ScoredProduct[] =>
  ids.map((productId, rank) => ({ productId, score: 1 - rank / 10, source: "popular" }));
const edges = (pairs: [string, number][]): ScoredProduct[] =>
  pairs.map(([productId, score]) => ({ productId, score, source: "neighbours" }));

/** P1..P3 sell best; K is bought every ~30 days; A's neighbour is N, EASE's is E. */
const model: ModelView = {
  popular: scored(["P1", "P2", "P3"]),
  recentPopular: scored(["P3", "P2"]),
  itemEdges: (id) =>
    id === "A"
      ? { knn: edges([["N", 0.8]]), ease: edges([["E", 0.4]]) }
      : id === "K"
        ? { knn: [], ease: [] }
        : undefined,
  repurchase: (id) => (id === "K" ? { rate: 0.6, intervalDays: 30 } : undefined),
};

const valueOf = (signals: ReturnType<typeof collectSignals>, id: string, signal: string) =>
  signals.values[
    signals.productIds.indexOf(id) * SIGNALS.length + SIGNALS.indexOf(signal as never)
  ];

describe("collectSignals", () => {
  it("scales each signal to its maximum and never offers the page's own products", () => {
    const signals = collectSignals(
      { history: [{ productId: "A", at: onDay(0) }], context: ["P1"], asOf: onDay(1) },
      model,
    );
    expect(signals.productIds).not.toContain("P1");
    expect(valueOf(signals, "N", "historyKnn")).toBeCloseTo(1, 12);
    expect(valueOf(signals, "E", "historyEase")).toBeCloseTo(1, 12);
    expect(valueOf(signals, "P2", "popularity")).toBeCloseTo(0.9, 12);
    expect(valueOf(signals, "P3", "recentPopularity")).toBeCloseTo(1, 12);
  });

  it("weighs recently viewed products by how often and how lately, and votes through their edges", () => {
    // GIVEN a visitor without orders who viewed A twice lately and K once a month ago
    const signals = collectSignals(
      {
        history: [],
        context: [],
        views: [
          { productId: "A", at: onDay(30) },
          { productId: "A", at: onDay(29) },
          { productId: "K", at: onDay(0) },
        ],
        asOf: onDay(30),
      },
      model,
    );
    // THEN A leads the viewed signal, K far behind (a 7-day half-life), and A's neighbours get votes
    expect(valueOf(signals, "A", "viewed")).toBeCloseTo(1, 12);
    expect(valueOf(signals, "K", "viewed")).toBeLessThan(0.1);
    expect(valueOf(signals, "N", "viewKnn")).toBeCloseTo(1, 12);
    expect(valueOf(signals, "E", "viewEase")).toBeCloseTo(1, 12);
    // and nothing of it comes from a purchase history
    expect(valueOf(signals, "N", "historyKnn")).toBe(0);
  });

  it("rates a re-buy by how due it is against the product's interval", () => {
    const bought = { purchases: 1, firstAtMs: onDay(0).getTime(), lastAtMs: onDay(0).getTime() };
    const due = (days: number, own = bought) =>
      dueness(own, { rate: 0.6, intervalDays: 30 }, onDay(days).getTime());
    expect(due(30)).toBeCloseTo(1, 12);
    expect(due(30)).toBeGreaterThan(due(60));
    // Overdue stays worth showing longer than just-bought: the late side falls off slower.
    expect(due(60)).toBeGreaterThan(due(15));
    expect(due(3)).toBeLessThan(0.01);
    // A shopper who buys it every 10 days is due sooner than the product's 30.
    const weekly = { purchases: 4, firstAtMs: onDay(-30).getTime(), lastAtMs: onDay(0).getTime() };
    expect(due(10, weekly)).toBeGreaterThan(due(10));
  });
});

describe("rankCandidates", () => {
  const signals = collectSignals(
    { history: [{ productId: "A", at: onDay(0) }], context: [], asOf: onDay(1) },
    model,
  );
  const ids = (weights: Parameters<typeof signalWeights>[0], limit = 3) =>
    rankCandidates(signals, signalWeights(weights), limit).map((c) => signals.productIds[c]);

  it("orders by the weighted sum, best first, at most `limit`", () => {
    expect(ids({ popularity: 1 })).toEqual(["P1", "P2", "P3"]);
    expect(ids({ historyKnn: 1, popularity: 0.1 })).toEqual(["N", "P1", "P2"]);
    expect(ids({ historyEase: 1, historyKnn: 0.1 }, 2)).toEqual(["E", "N"]);
  });

  it("breaks ties by popularity, and leaves out candidates no weight reaches", () => {
    expect(ids({ historyKnn: 1 }, 5)).toEqual(["N", "P1", "P2", "P3"]);
  });
});
