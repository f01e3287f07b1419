import { parseArgs } from "node:util";
import { printAdminPageBenchmarks } from "./admin-pages";

// npm run bench:admin [-- --loads=N] [--pages=dashboard,winback/$id]: the admin pages' web
// vitals, axe-core findings and screenshots on `npm run demo` in Chromium (about 5 minutes on 2
// cores with 5 loads and every page).
const { values } = parseArgs({
  options: { loads: { type: "string", default: "5" }, pages: { type: "string" } },
});
await printAdminPageBenchmarks({
  loads: Number(values.loads),
  pages: values.pages?.split(",").map((name) => name.trim()),
});
// The demo's child processes and the structured logger's transport would keep it alive.
process.exit(0);
