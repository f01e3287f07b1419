import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { npmRunEnv } from "../helpers/child-process-env";

// A small run of `npm run eval:recommendations` (the full run tunes on both datasets), so CI
// notices when the command or what it measures breaks. No database is involved.
describe("recommendations evaluation smoke", () => {
  it("prints the repeat signal and the comparison with popularity for the generated store", () => {
    const run = spawnSync(
      "node",
      [
        "--import",
        "tsx",
        "bench/recommendations-eval.ts",
        "--dataset",
        "devstore",
        "--limit",
        "300",
        "--no-tune",
      ],
      { env: npmRunEnv(), encoding: "utf8", timeout: 120_000 },
    );
    console.log(run.stdout);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/devstore repeat signal: [\d.]+% .* lift over chance [\d.]+/);
    expect(run.stdout).toContain("ours − popular hit@10 (95% CI)");
  }, 150_000);
});
