import { benchApplyScaling, benchPoisonReplay } from "./apply";

/**
 * The apply benchmarks as `npm run bench` prints them: throughput with 1, 2 and 3 worker
 * processes, then the replay with 1% poison events. Full sizes are the issue's; `smoke` runs
 * small ones to check the harness works.
 */
export async function printApplyBenchmarks(smoke: boolean): Promise<void> {
  const apply = await benchApplyScaling(smoke ? 2_000 : 60_000, [1, 2, 3]);
  console.log(
    "apply with 1, 2 and 3 worker processes (target: >= 5,000 order events/s with 3; " +
      "vsOneWorker = events/s over the 1-worker run's)",
  );
  console.table(apply);

  const poisonReplay = await benchPoisonReplay(smoke ? 2_000 : 50_000);
  console.log(
    "replay with 1% poison events (goal: only the poison dead-lettered, 0 diffs among the rest)",
  );
  console.table([poisonReplay]);
}
