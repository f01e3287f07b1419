import { printApplyBenchmarks } from "./apply-report";
import { postgresUnavailableReason } from "./lib/postgres";

// npm run bench:apply [-- --smoke]: only the apply benchmarks of `npm run bench`.
const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.log(`skipping benchmarks: ${unavailable}`);
} else {
  await printApplyBenchmarks(process.argv.includes("--smoke"));
}
// The structured logger's transport would keep the process alive.
process.exit(0);
