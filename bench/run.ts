import { spawnSync } from "node:child_process";
import { analyticsGoalLines, benchAnalytics } from "./analytics";
import { printApplyBenchmarks } from "./apply-report";
import { printBackfillBenchmark } from "./backfill";
import { printIngestBenchmarks } from "./ingest";
import { postgresUnavailableReason } from "./lib/postgres";
import { benchInboxPartitions } from "./partitions";
import { printPixelIngestBenchmark } from "./pixel-ingest";
import { benchRecommendationRebuild } from "./recommendations-rebuild";
import { benchStoreGenerator } from "./store-generator";

// npm run bench [-- --quick]: the benchmarks on real PostgreSQL, printing their figures.
// Full sizes are the issues' targets; --quick (or --smoke) runs small sizes to check the harness works.
const smoke = process.argv.includes("--smoke") || process.argv.includes("--quick");
const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.log(`skipping benchmarks: ${unavailable}`);
  process.exit(0);
}

console.log("simulated store generator (target: 100k orders < 30 s)");
console.table([benchStoreGenerator(smoke ? 10_000 : 100_000)]);

await printIngestBenchmarks(smoke);

await printPixelIngestBenchmark(smoke);

await printApplyBenchmarks(smoke);

console.log(
  "partitioned inbox (target: retention drops whole days, 0 rows deleted; the claim as fast as on one table)",
);
console.table([await benchInboxPartitions(smoke ? 2_000 : 100_000)]);

await printBackfillBenchmark(smoke);

const incrementalSamples = smoke ? 20 : 200;
const { report, nightly, ...analytics } = await benchAnalytics(
  smoke ? 2_000 : 200_000,
  smoke ? 10_000 : 1_000_000,
  incrementalSamples,
);
console.log(
  "analytics (targets: full recompute 200k customers / 1M orders < 10 s, incremental update " +
    "p99 < 2 ms, dashboard loader p95 < 300 ms, model fit < 10 s)",
);
console.log("first recompute phases (ms)", report.timingsMs, "nightly", nightly.timingsMs);
console.table([analytics]);
for (const line of analyticsGoalLines(analytics, incrementalSamples)) console.log(line);

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

// Its own process: it points the app's database module at its scratch database on import.
const emailRun = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/email-render.ts", smoke ? "50" : "2000", smoke ? "300" : "5000"],
  { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } },
);
if (emailRun.status !== 0) process.exitCode = 1;

// Their own processes, like the email render: each points the app's database at a scratch one.
const flowEntriesRun = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/flow-entries.ts", smoke ? "2000" : "200000", smoke ? "500" : "50000"],
  { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } },
);
if (flowEntriesRun.status !== 0) process.exitCode = 1;
const flowSendingRun = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/flow-sending.ts", smoke ? "100" : "4000", smoke ? "50" : "1000"],
  { stdio: "inherit", env: { ...process.env, LOG_LEVEL: "warn" } },
);
if (flowSendingRun.status !== 0) process.exitCode = 1;

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
