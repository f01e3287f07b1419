import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { npmRunEnv } from "../../helpers/child-process-env";
import { REPO_ROOT } from "../../helpers/shared-data";

export interface RunningDemo {
  appUrl: string;
  storeUrl: string;
  dataDir: string;
  output: () => string;
  /** Ctrl-C, as a user stops it; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `npm run demo` the way a user does (same script, its own process, the production
 * build, built first if build/ is out of date) on free ports and a scratch data folder, and
 * waits until it says it is ready.
 */
export async function startDemo(options: {
  dataDir: string;
  orders: number;
  seed: number;
  timeoutMs?: number;
}): Promise<RunningDemo> {
  const [appPort, storePort] = [await freePort(), await freePort()];
  // info, so the test that greps the logs for customers' personal data sees what production logs.
  const env = npmRunEnv({ NODE_ENV: "development", LOG_LEVEL: "info" });
  const child: ChildProcess = spawn(
    path.join(REPO_ROOT, "node_modules/.bin/node"),
    [
      "--import",
      "tsx",
      "scripts/demo.ts",
      "--reset",
      `--port=${appPort}`,
      `--store-port=${storePort}`,
      `--data-dir=${options.dataDir}`,
      `--orders=${options.orders}`,
      `--seed=${options.seed}`,
    ],
    { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo not ready in time:\n${output}`)),
      options.timeoutMs ?? 240_000,
    );
    const check = () => {
      if (output.includes("DEMO_READY")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    appUrl: `http://localhost:${appPort}`,
    storeUrl: `http://localhost:${storePort}`,
    dataDir: options.dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGINT");
      const timeout = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timeout);
      return code;
    },
  };
}
