import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../e2e/helpers/demo-process";
import { npmRunEnv } from "../helpers/child-process-env";
import { REPO_ROOT } from "../helpers/shared-data";

// WEB_CONCURRENCY web processes behind one port (app/server/web-processes.server.ts): both
// serve, a dead one is replaced, a stop stops them all, and a boot failure stops the primary.
let primary: ChildProcess | undefined;
afterEach(() => {
  if (primary?.exitCode === null) primary.kill("SIGKILL");
});

function startPrimary(port: number, env: Record<string, string> = {}) {
  primary = spawn(
    path.join(REPO_ROOT, "node_modules/.bin/node"),
    ["--import", "tsx", "tests/process/cluster-web-process.ts"],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      env: npmRunEnv({ WEB_CONCURRENCY: "2", PORT: String(port), LOG_LEVEL: "silent", ...env }),
    },
  );
  return primary;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

/** The pids that answer `requests` fresh connections (each request on its own). */
async function answeringPids(port: number, requests: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let attempt = 0; attempt < requests * 50 && pids.size < 2; attempt++) {
    try {
      // A connection handed to the process just killed gets no answer: give up on it.
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        signal: AbortSignal.timeout(1000),
      });
      pids.add(Number(await response.text()));
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return pids;
}

describe("web processes behind one port", () => {
  it("GIVEN WEB_CONCURRENCY=2, THEN two processes answer; one killed is replaced; SIGTERM stops all", async () => {
    const port = await freePort();
    const child = startPrimary(port);
    const first = await answeringPids(port, 20);
    expect(first.size).toBe(2);

    const [killed] = [...first];
    process.kill(killed ?? 0, "SIGKILL");
    let replaced = new Set<number>();
    for (
      let round = 0;
      round < 50 && !(replaced.size === 2 && !replaced.has(killed ?? 0));
      round++
    ) {
      replaced = await answeringPids(port, 20);
    }
    expect(replaced.size).toBe(2);
    expect(replaced.has(killed ?? 0)).toBe(false);

    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    for (const pid of replaced) expect(() => process.kill(pid, 0)).toThrow();
  }, 60_000);

  it("GIVEN a web process that dies before it listens, THEN the primary stops with its exit code", async () => {
    const child = startPrimary(await freePort(), { FAIL_BOOT: "1" });
    expect(await exited(child)).toBe(3);
  }, 60_000);
});
