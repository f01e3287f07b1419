import { spawn, type SpawnOptions } from "node:child_process";

export interface ChildRun {
  /** The exit code, or null when a signal (the timeout's included) ended the child. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end without blocking the test worker. spawnSync would: a worker whose
 * event loop is held past a minute misses its test runner's RPC reply and fails the whole run
 * ("Timeout calling onTaskUpdate") even when every test passed.
 */
export function runChild(
  command: string,
  args: readonly string[],
  { timeout, ...options }: Omit<SpawnOptions, "stdio"> & { timeout?: number } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = timeout ? setTimeout(() => child.kill("SIGKILL"), timeout) : undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
