import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { npmRunEnv } from "../helpers/child-process-env";
import { runChild } from "../helpers/run-child";
import { sharedPath } from "../helpers/shared-data";

// `npm run eval:recommendations -- --orders FILE --json` on exported data, as a merchant's
// export would be evaluated. The groceries run is the quality gate: the build fails when the
// served recommendations fall behind a bestseller list on real baskets.

const dir = mkdtempSync(join(tmpdir(), "eval-smoke-"));
const node = (args: string[]) =>
  runChild("node", ["--import", "tsx", ...args], { env: npmRunEnv(), timeout: 240_000 });

interface Metrics {
  hit_at_10: number;
  ndcg_at_10: number;
  recall_at_10: number;
  coverage: number;
  new_item_hit_at_10: number;
}
interface ViewComparison {
  customers: number;
  ours: Metrics;
  popularity: Metrics;
  hit_at_10_diff_ci95: [number, number];
}
interface EvaluationDocument {
  dataset: string;
  customers: number;
  views: null | {
    customers_with_views: number;
    with_orders: Record<
      "for_you" | "lifecycle",
      { with_views: ViewComparison; without_views: ViewComparison }
    >;
    views_only_visitors: ViewComparison;
  };
  placements: Record<
    "for_you" | "lifecycle" | "product_page" | "cart",
    {
      ours: Metrics;
      popularity: Metrics;
      rebuy_popularity: Metrics;
      hit_at_10_diff_ci95: [number, number];
    }
  >;
}

async function evaluate(
  dataset: "groceries" | "devstore",
  extra: string[] = [],
): Promise<EvaluationDocument> {
  const file = join(dir, `${dataset}.csv.gz`);
  const exported = await node(["bench/export-orders-csv.ts", dataset, file, "--orders", "4000"]);
  expect(exported.stderr).toBe("");
  const run = await node(["bench/recommendations-eval.ts", "--orders", file, "--json", ...extra]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  // --json prints one JSON document and nothing else.
  return JSON.parse(run.stdout) as EvaluationDocument;
}

describe("recommendations evaluation", () => {
  it("prints one JSON document with every placement's metrics for ours and both baselines", async () => {
    const doc = await evaluate("devstore", ["--max-customers", "300"]);
    expect(doc.dataset).toBe("devstore.csv.gz");
    expect(Object.keys(doc.placements).sort()).toEqual([
      "cart",
      "for_you",
      "lifecycle",
      "product_page",
    ]);
    for (const placement of Object.values(doc.placements)) {
      for (const ranker of [placement.ours, placement.popularity, placement.rebuy_popularity]) {
        expect(Object.keys(ranker).sort()).toEqual([
          "coverage",
          "hit_at_10",
          "ndcg_at_10",
          "new_item_hit_at_10",
          "recall_at_10",
        ]);
      }
      const [low, high] = placement.hit_at_10_diff_ci95;
      expect(low).toBeLessThanOrEqual(high);
    }
    // Generated browsing: customers with orders served with and without their views, and
    // visitors whose only order followed views, each with an interval against bestsellers.
    const { views } = doc;
    if (!views) throw new Error("the evaluation printed no views figures");
    expect(views.customers_with_views).toBeGreaterThan(0);
    const comparisons = [
      views.with_orders.for_you.with_views,
      views.with_orders.for_you.without_views,
      views.with_orders.lifecycle.with_views,
      views.with_orders.lifecycle.without_views,
      views.views_only_visitors,
    ];
    for (const comparison of comparisons) {
      expect(comparison.customers).toBeGreaterThan(0);
      const [low, high] = comparison.hit_at_10_diff_ci95;
      expect(low).toBeLessThanOrEqual(high);
    }
    // Views only: the list is the visitor's own, better than bestsellers beyond chance.
    expect(views.views_only_visitors.hit_at_10_diff_ci95[0]).toBeGreaterThan(0);
  }, 240_000);

  it.skipIf(!sharedPath("data/groceries-member-transactions/groceries_dataset.csv.gz"))(
    "beats bestsellers on the groceries baskets where shoppers see it",
    async () => {
      // Orders only: the views figures are checked on the generated store above.
      const doc = await evaluate("groceries", ["--no-views"]);
      console.log(JSON.stringify(doc.placements, null, 1));
      for (const placement of Object.values(doc.placements)) {
        expect(placement.ours.hit_at_10).toBeGreaterThanOrEqual(placement.popularity.hit_at_10);
        expect(placement.hit_at_10_diff_ci95[1]).toBeGreaterThan(0);
      }
      for (const placement of [doc.placements.for_you, doc.placements.product_page]) {
        expect(placement.hit_at_10_diff_ci95[0]).toBeGreaterThan(0);
        expect(placement.ours.new_item_hit_at_10).toBeGreaterThan(
          placement.popularity.new_item_hit_at_10,
        );
      }
    },
    240_000,
  );
});
