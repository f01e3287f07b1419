import { printBackfillBenchmark } from "./backfill";
import { postgresUnavailableReason } from "./lib/postgres";

// npm run bench:backfill [-- --smoke]: only the backfill benchmark of `npm run bench`.
const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.log(`skipping benchmarks: ${unavailable}`);
} else {
  await printBackfillBenchmark(process.argv.includes("--smoke"));
}
// The structured logger's transport would keep the process alive.
process.exit(0);
