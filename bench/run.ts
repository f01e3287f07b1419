import { spawnSync } from "node:child_process";
import { benchAnalytics } from "./analytics";
import { printApplyBenchmarks } from "./apply-report";
import { benchBackfill } from "./backfill";
import { printIngestBenchmarks } from "./ingest";
import { postgresUnavailableReason } from "./lib/postgres";
import { benchRecommendationRebuild } from "./recommendations-rebuild";
import { benchStoreGenerator } from "./store-generator";

// npm run bench [-- --smoke]: the sync benchmarks on real PostgreSQL, printing their figures.
// Full sizes are the targets; --smoke runs small sizes to check the harness works.
const smoke = process.argv.includes("--smoke");
const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.log(`skipping benchmarks: ${unavailable}`);
  process.exit(0);
}

console.log("simulated store generator (target: 100k orders < 30 s)");
console.table([benchStoreGenerator(smoke ? 10_000 : 100_000)]);

await printIngestBenchmarks(smoke);

await printApplyBenchmarks(smoke);

const backfill = await benchBackfill(smoke ? 2_000 : 200_000, smoke ? 10_000 : 1_000_000);
console.log("backfill (target: 1M orders + 200k customers in < 120 s, peak RSS < 1 GB)");
console.table([backfill]);

const { report, nightly, ...analytics } = await benchAnalytics(
  smoke ? 2_000 : 200_000,
  smoke ? 10_000 : 1_000_000,
  smoke ? 20 : 200,
);
console.log(
  "analytics (targets: full recompute 200k customers / 1M orders < 20 s, incremental < 10 ms, " +
    "dashboard loader p95 < 300 ms, model fit < 10 s)",
);
console.log("first recompute phases (ms)", report.timingsMs, "nightly", nightly.timingsMs);
console.table([analytics]);

// Its own process, so its settings (app secret, log level) are its own.
console.log(
  "win-back (target: a rule evaluated over 200k customers, 10k actions issued through a " +
    "throttled Admin API)",
);
const winbackRun = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/winback.ts", smoke ? "2000" : "200000", smoke ? "100" : "5000"],
  { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } },
);
if (winbackRun.status !== 0) process.exitCode = 1;

// Its own process: it points the app's database module at its scratch database on import.
console.log(
  "storefront recommendations through the app proxy (target: p99 < 5 ms at 300 req/s for 60 s)",
);
const proxyRun = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/recommendations-proxy.ts", smoke ? "50" : "300", smoke ? "3" : "60"],
  { stdio: "inherit" },
);
if (proxyRun.status !== 0) process.exitCode = 1;

const rebuild = await benchRecommendationRebuild(
  smoke ? 2_000 : 200_000,
  smoke ? 10_000 : 1_000_000,
);
console.log(
  "recommendation rebuild with tuning (target: 200k customers / 1M orders < 60 s, RSS < 1 GB)",
);
console.table([rebuild]);

// The evaluation a merchant would run on an export, timed end to end (target: groceries < 2 min).
const evaluationStarted = performance.now();
const evaluation = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "bench/recommendations-eval.ts",
    ...(smoke ? ["--max-customers", "300"] : []),
  ],
  { stdio: "inherit" },
);
console.log(
  `recommendation evaluation (groceries and the dev store): ${((performance.now() - evaluationStarted) / 1000).toFixed(1)} s`,
);
if (evaluation.status !== 0) process.exitCode = 1;

// The structured logger's transport would keep the process alive.
process.exit(process.exitCode ?? 0);
