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

/** CPU milliseconds used so far by `pids` and every process below them. */
export function processTreeCpuMs(pids: readonly number[]): number | undefined {
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
  let total = 0;
  for (const [pid, cpuMs] of cpu) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at)) {
      if (roots.has(at)) {
        total += cpuMs;
        break;
      }
    }
  }
  return total;
}
