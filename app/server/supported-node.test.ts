import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { npmRunEnv } from "../../tests/helpers/child-process-env";
import { REPO_ROOT } from "../../tests/helpers/shared-data";
import { unsupportedNodeReason } from "./supported-node";

/** The machine's own Node (older than the project's) when there is one, else null. */
function olderSystemNode(): string | null {
  const found = spawnSync("/usr/bin/node", ["-p", "process.version"], { encoding: "utf8" });
  const version = found.stdout?.trim() ?? "";
  return found.status === 0 && unsupportedNodeReason(version) ? "/usr/bin/node" : null;
}

describe("supported Node", () => {
  it("accepts 22 and later, and names the need in one line before that", () => {
    expect(unsupportedNodeReason("v22.23.3")).toBeNull();
    expect(unsupportedNodeReason("v24.1.0")).toBeNull();
    const reason = unsupportedNodeReason("v20.20.2");
    expect(reason).toContain("Node.js 22 or newer (this is v20.20.2)");
    expect(reason).not.toContain("\n");
  });

  const node = olderSystemNode();
  it.skipIf(!node)("the server entry refuses to boot on an older Node with that line", () => {
    // GIVEN the machine's Node 20 running the production entry directly (not through npm)
    const run = spawnSync(
      node as string,
      [`${REPO_ROOT}/node_modules/tsx/dist/cli.mjs`, "scripts/server.ts"],
      {
        cwd: REPO_ROOT,
        env: npmRunEnv({ PGLITE_DATA_DIR: "memory" }),
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    // THEN it stops at once with one clear line, before listening or touching data
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringContaining("Rekindle needs Node.js 22 or newer"),
    ]);
    expect(run.stdout).toBe("");
  });
  if (!node) process.stdout.write("skipped the Node 20 boot check: no older Node installed\n");
});
