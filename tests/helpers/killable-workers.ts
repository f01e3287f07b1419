import type { ChildProcess } from "node:child_process";

/**
 * Worker processes a test starts and SIGKILLs at random. A process counts as settled (loaded
 * and taking jobs) `settledMs` after it last wrote to stdout, counted from the moment it says
 * it has started (loading takes long on a busy machine); only settled ones are killed, so that
 * kills land in its work rather than in its start-up.
 */
export function killableWorkers(spawnWorker: () => ChildProcess, settledMs: number) {
  const children = new Map<ChildProcess, number>();
  const start = () => {
    const child = spawnWorker();
    children.set(child, Number.POSITIVE_INFINITY);
    child.stdout?.on("data", () => children.set(child, Date.now()));
    child.once("exit", () => children.delete(child));
  };
  return {
    start,
    allSettled: () => [...children.values()].every((at) => Date.now() - at > settledMs),
    /** SIGKILLs one settled process at random and starts another; false when none is settled. */
    replaceOne: (): boolean => {
      const settled = [...children].filter(([, at]) => Date.now() - at > settledMs);
      const victim = settled[Math.floor(Math.random() * settled.length)]?.[0];
      if (!victim) return false;
      victim.kill("SIGKILL");
      start();
      return true;
    },
    killAll: () => {
      for (const child of children.keys()) child.kill("SIGKILL");
    },
  };
}
