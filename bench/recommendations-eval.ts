import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { indexPurchases } from "../app/services/recommendations/model/purchase-index";
import { measureRepeatSignal } from "../app/services/recommendations/model/repeat-signal";
import {
  DEFAULT_TRAINING_OPTIONS,
  trainRecommender,
  type TrainingResult,
} from "../app/services/recommendations/model/training";
import { seededRandom } from "../app/lib/seeded-random";
import { readOrdersCsv } from "./lib/orders-csv";

// npm run eval:recommendations -- --orders FILE [--json] [--max-customers N]
// npm run eval:recommendations               (groceries and the dev store, exported to that CSV)
//
// Holds out each customer's last order (customers with two or more), trains exactly as the
// nightly rebuild does (weights tuned on second-to-last orders only) and scores every placement
// through its served entry against bestsellers and "buy again, then bestsellers".

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const asJson = argv.includes("--json");
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
  log(
    `${dataset}: trained and evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { dataset, result, skippedRows: Object.fromEntries(csv.skipped) };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

function documentOf(dataset: string, result: TrainingResult, skippedRows: object) {
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
  return { dataset, customers: result.customers, skipped_rows: skippedRows, placements };
}

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
  const { result, skippedRows } = await evaluate(file, dataset);
  documents.push(documentOf(dataset, result, skippedRows));
}
if (asJson) {
  console.log(JSON.stringify(documents.length === 1 ? documents[0] : documents));
} else {
  printTable(documents);
}
