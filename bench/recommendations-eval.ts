import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { indexPurchases } from "../app/services/recommendations/model/purchase-index";
import { measureRepeatSignal } from "../app/services/recommendations/model/repeat-signal";
import type { PlacementComparison } from "../app/services/recommendations/model/placement-report";
import { PLACEMENTS, type Placement } from "../app/services/recommendations/model/placements";
import {
  DEFAULT_TRAINING_OPTIONS,
  trainRecommender,
  type TrainingResult,
} from "../app/services/recommendations/model/training";
import { indexViews } from "../app/services/recommendations/model/view-history";
import { seededRandom } from "../app/lib/seeded-random";
import { BROWSING_ASSUMPTIONS, generateBrowsing } from "./lib/generated-browsing";
import { readOrdersCsv } from "./lib/orders-csv";

// npm run eval:recommendations -- --orders FILE [--json] [--max-customers N] [--no-views]
// npm run eval:recommendations               (groceries and the dev store, exported to that CSV)
//
// Holds out each customer's last order (customers with two or more), trains exactly as the
// nightly rebuild does (weights tuned on second-to-last orders only) and scores every placement
// through its served entry against bestsellers and "buy again, then bestsellers".
// Then once more with product views generated from the orders (bench/lib/generated-browsing.ts),
// trained on as the nightly rebuild trains on the pixel's: the views table compares customers
// with orders served with views (that second training) and without (the first), and visitors
// whose only order followed views, scored from their views alone, against bestsellers.

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const asJson = argv.includes("--json");
/** Orders only: skips the second training with generated views. */
const withGeneratedViews = !argv.includes("--no-views");
const maxCustomers = Number(option("--max-customers") ?? DEFAULT_TRAINING_OPTIONS.maxCustomers);
const log = (line: string) => {
  if (!asJson) console.log(line);
};

async function evaluate(file: string, dataset: string) {
  const started = performance.now();
  const csv = await readOrdersCsv(file);
  const skipped = [...csv.skipped].map(([reason, count]) => `${count} ${reason}`).join(", ");
  log(
    `${dataset}: ${csv.rows} rows, ${csv.purchases.length} order lines read` +
      (skipped ? `; skipped ${skipped}` : "; none skipped"),
  );
  const index = indexPurchases(csv.purchases);
  if (!asJson) {
    const signal = measureRepeatSignal(index, { shuffles: 20, random: seededRandom(3) });
    log(
      `${dataset} repeat signal: ${(signal.repeatShare * 100).toFixed(1)}% of last-order products ` +
        `were bought before by the same customer; lift over chance ${signal.lift.toFixed(2)}, ` +
        `shuffled between customers ${signal.shuffledLift.mean.toFixed(2)}`,
    );
  }
  const result = trainRecommender(index, { maxCustomers });
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  log(`${dataset}: trained and evaluated in ${seconds()} s`);
  let withViews: TrainingResult | null = null;
  if (withGeneratedViews) {
    const views = indexViews(generateBrowsing(csv.purchases, BROWSING_SEED));
    withViews = trainRecommender(index, { maxCustomers, views });
    log(`${dataset}: and with generated product views by ${seconds()} s`);
  }
  return { dataset, result, withViews, skippedRows: Object.fromEntries(csv.skipped) };
}

const BROWSING_SEED = 11;

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function documentOf(
  dataset: string,
  result: TrainingResult,
  withViews: TrainingResult | null,
  skippedRows: object,
) {
  const placements = Object.fromEntries(
    Object.entries(result.test).map(([placement, comparison]) => [
      placement,
      {
        customers: comparison.customers,
        live: liveMethods(result, placement),
        ours: roundAll(comparison.ours),
        popularity: roundAll(comparison.popularity),
        rebuy_popularity: roundAll(comparison.rebuy_popularity),
        hit_at_10_diff_ci95: comparison.hit_at_10_diff_ci95.map(round),
      },
    ]),
  );
  return {
    dataset,
    customers: result.customers,
    skipped_rows: skippedRows,
    placements,
    views: viewsDocumentOf(result, withViews),
  };
}

const comparisonOf = (comparison: PlacementComparison) => ({
  customers: comparison.customers,
  ours: roundAll(comparison.ours),
  popularity: roundAll(comparison.popularity),
  hit_at_10_diff_ci95: comparison.hit_at_10_diff_ci95.map(round),
});

function viewsDocumentOf(withoutViews: TrainingResult, withViews: TrainingResult | null) {
  const views = withViews?.views;
  if (!withViews || !views) return null;
  return {
    browsing: { ...BROWSING_ASSUMPTIONS, seed: BROWSING_SEED },
    customers_with_views: views.customersWithViews,
    visitors_tuned: views.visitorsTuned,
    weights: {
      for_you: viewWeightsOf(withViews, "for_you"),
      lifecycle_early: viewWeightsOf(withViews, "lifecycle_early"),
    },
    with_orders: Object.fromEntries(
      PLACEMENTS.map((placement) => [
        placement,
        {
          with_views: comparisonOf(withViews.test[placement]),
          without_views: comparisonOf(withoutViews.test[placement]),
        },
      ]),
    ) as Record<Placement, Record<"with_views" | "without_views", ReturnType<typeof comparisonOf>>>,
    views_only_visitors: comparisonOf(views.visitors),
  };
}

const viewWeightsOf = (result: TrainingResult, key: "for_you" | "lifecycle_early") => {
  const { weights, live } = result.tuning[key];
  return { live, viewed: weights.viewed, viewKnn: weights.viewKnn, viewEase: weights.viewEase };
};

const roundAll = (metrics: object) =>
  Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, round(value as number)]));

function liveMethods(result: TrainingResult, placement: string): string {
  if (placement !== "lifecycle") return result.tuning[placement as "for_you"].live;
  return (["early", "active", "dormant"] as const)
    .map((group) => `${group}: ${result.tuning[`lifecycle_${group}`].live}`)
    .join(", ");
}

function printTable(documents: ReturnType<typeof documentOf>[]): void {
  const rows = documents.flatMap((doc) =>
    Object.entries(doc.placements).map(([placement, p]) => ({
      dataset: doc.dataset,
      placement,
      live: p.live,
      customers: p.customers,
      "ours hit@10": p.ours.hit_at_10,
      "popular hit@10": p.popularity.hit_at_10,
      "rebuy+pop hit@10": p.rebuy_popularity.hit_at_10,
      "ours − popular (95% CI)": `${p.hit_at_10_diff_ci95[0]} to ${p.hit_at_10_diff_ci95[1]}`,
      "ours new-item hit": p.ours.new_item_hit_at_10,
      "popular new-item hit": p.popularity.new_item_hit_at_10,
      "ours NDCG": p.ours.ndcg_at_10,
      "popular NDCG": p.popularity.ndcg_at_10,
      "ours recall": p.ours.recall_at_10,
      "ours coverage": p.ours.coverage,
    })),
  );
  console.log("test split: each customer's last order held out");
  console.table(rows);
  printViewsTable(documents);
}

function printViewsTable(documents: ReturnType<typeof documentOf>[]): void {
  const rows = documents.flatMap((doc) => {
    const views = doc.views;
    if (!views) return [];
    const row = (who: string, served: ReturnType<typeof comparisonOf>) => ({
      dataset: doc.dataset,
      who,
      customers: served.customers,
      "ours hit@10": served.ours.hit_at_10,
      "popular hit@10": served.popularity.hit_at_10,
      "ours − popular (95% CI)": `${served.hit_at_10_diff_ci95[0]} to ${served.hit_at_10_diff_ci95[1]}`,
      "ours new-item hit": served.ours.new_item_hit_at_10,
      "ours NDCG": served.ours.ndcg_at_10,
    });
    return [
      ...PLACEMENTS.flatMap((placement) => [
        row(`with orders, ${placement}, with views`, views.with_orders[placement].with_views),
        row(`with orders, ${placement}, no views`, views.with_orders[placement].without_views),
      ]),
      row("views only, no orders (for_you)", views.views_only_visitors),
    ];
  });
  if (rows.length === 0) return;
  console.log(
    `product views generated from the orders (${JSON.stringify(documents[0]?.views?.browsing)}); ` +
      "customers with orders who had views before their held-out order: " +
      documents.map((doc) => `${doc.dataset} ${doc.views?.customers_with_views}`).join(", ") +
      "; view weights tuned on validation orders: " +
      documents.map((doc) => `${doc.dataset} ${JSON.stringify(doc.views?.weights)}`).join("; "),
  );
  console.table(rows);
}

/** Without --orders: the groceries data and the dev store, exported to the CSV format first. */
async function defaultFiles(): Promise<{ file: string; dataset: string }[]> {
  const dir = await mkdtemp(join(tmpdir(), "rekindle-eval-"));
  return ["groceries", "devstore"].flatMap((dataset) => {
    const file = join(dir, `${dataset}.csv.gz`);
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/export-orders-csv.ts", dataset, file],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (run.status !== 0) {
      log(`skipping ${dataset}: its export failed (${run.stdout.trim()})`);
      return [];
    }
    return [{ file, dataset }];
  });
}

const orders = option("--orders");
const files = orders ? [{ file: orders, dataset: basename(orders) }] : await defaultFiles();
const documents = [];
for (const { file, dataset } of files) {
  const { result, withViews, skippedRows } = await evaluate(file, dataset);
  documents.push(documentOf(dataset, result, withViews, skippedRows));
}
if (asJson) {
  console.log(JSON.stringify(documents.length === 1 ? documents[0] : documents));
} else {
  printTable(documents);
}
