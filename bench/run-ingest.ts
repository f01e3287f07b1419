import { printIngestBenchmarks } from "./ingest";
import { postgresUnavailableReason } from "./lib/postgres";

// npm run bench:ingest [-- --smoke] [-- --seconds=N]: only the webhook ingest benchmark of
// `npm run bench` (N: seconds each server is measured, for comparing one change).
const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.log(`skipping benchmarks: ${unavailable}`);
  process.exit(0);
}
const seconds = process.argv.find((arg) => arg.startsWith("--seconds="))?.split("=")[1];
await printIngestBenchmarks(
  process.argv.includes("--smoke"),
  seconds ? Number(seconds) : undefined,
);
process.exit(0);
