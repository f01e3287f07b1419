import { readdirSync, readFileSync } from "node:fs";

// CPU time (user + system) of processes, from /proc (Linux). On a machine shared with other
// work, throughput swings with the neighbours' load; CPU spent per request much less so, which
// makes it the figure to compare servers and changes by. Undefined where /proc is unreadable.

const TICK_MS = 10; // USER_HZ is 100 on Linux

function stat(pid: number): { parent: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      parent: Number(fields[1]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS,
    };
  } catch {
    return undefined;
  }
}

/** Every live process that is one of `pids` or below one of them, with its CPU so far. */
function processTree(pids: readonly number[]): Map<number, number> | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const info = stat(pid);
    if (!info) continue;
    parents.set(pid, info.parent);
    cpu.set(pid, info.cpuMs);
  }
  const roots = new Set(pids);
  const tree = new Map<number, number>();
  for (const [pid, cpuMs] of cpu) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at)) {
      if (roots.has(at)) {
        tree.set(pid, cpuMs);
        break;
      }
    }
  }
  return tree;
}

/** CPU milliseconds used so far by `pids` and every process below them. */
export function processTreeCpuMs(pids: readonly number[]): number | undefined {
  const tree = processTree(pids);
  return tree && [...tree.values()].reduce((sum, cpuMs) => sum + cpuMs, 0);
}

/**
 * Milliseconds the main threads of `pids` and the processes below them have run, and have
 * waited runnable for a core (the scheduler's run queue, /proc/PID/schedstat), so far. A Node
 * process runs its JavaScript on its main thread, and a PostgreSQL session is one thread: when
 * the wait is longer than the run, the machine's cores, not the work, set the pace.
 */
export function processTreeCoreTimes(
  pids: readonly number[],
): { runMs: number; waitMs: number } | undefined {
  const tree = processTree(pids);
  if (!tree) return undefined;
  let runMs = 0;
  let waitMs = 0;
  for (const pid of tree.keys()) {
    try {
      const [runNs, waitNs] = readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ");
      runMs += Number(runNs) / 1e6;
      waitMs += Number(waitNs) / 1e6;
    } catch {
      // Exited between the two reads: its time is no longer counted anywhere.
    }
  }
  return { runMs, waitMs };
}
