import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";

/**
 * The web processes `npm start` runs: WEB_CONCURRENCY when set, otherwise one per core on
 * PostgreSQL and one on the embedded database (which belongs to one process). A process runs
 * its JavaScript on one core, and one web process's webhook ingest is paced by that core, not
 * by the database (docs/scaling.md, "What bounds webhook ingest").
 */
export function webProcessCount(
  env: Pick<Env, "WEB_CONCURRENCY" | "DATABASE_URL">,
  cores = availableParallelism(),
): number {
  return env.WEB_CONCURRENCY ?? (env.DATABASE_URL === undefined ? 1 : cores);
}

/**
 * The primary of `count` web processes behind one port (node:cluster: the primary accepts the
 * connections and hands them to the processes in turn), each running the whole app. A process
 * that dies after it started serving is replaced; one that dies before it ever listened stops
 * them all with its exit code, as a single process failing to boot would. SIGTERM and SIGINT
 * are passed on, and the primary exits once every process has closed.
 */
export function superviseWebProcesses(count: number): void {
  let stopping = false;
  const serving = new WeakSet<Worker>();

  const start = () => {
    const worker = cluster.fork();
    worker.once("listening", () => serving.add(worker));
    worker.once("exit", (code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
        return;
      }
      if (!serving.has(worker)) {
        logger.error({ code, signal }, "a web process failed to start; stopping");
        stop(code || 1);
        return;
      }
      logger.error({ code, signal }, "a web process died; starting another");
      start();
    });
  };

  const stop = (exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = exitCode;
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker?.process.kill("SIGTERM");
  };

  for (let index = 0; index < count; index++) start();
  process.once("SIGINT", () => stop());
  process.once("SIGTERM", () => stop());
}
