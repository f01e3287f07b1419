import { hostname } from "node:os";
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";

/** Which process ran a job last, as `scheduled_job.last_process` shows it to an admin. */
export const PROCESS_NAME = `${hostname()}:${process.pid}`;

export type ScheduledOutcome = "ran" | "failed" | "not due" | "running elsewhere";

/**
 * Runs a scheduled job if it is due, in one process only: the job's lock keeps two processes
 * (or two runners) from running it at the same time, and its last start in `scheduled_job`,
 * claimed under that lock, makes it run once per due time whichever process gets there first.
 * A failure is logged and recorded; the job runs again when it is next due.
 */
export async function runWhenDue(
  sql: SqlClient,
  job: { name: string; everyMs: number; run: () => Promise<unknown> },
  now: () => Date,
): Promise<ScheduledOutcome> {
  const held = await sql.whileLocked(`job:${job.name}`, async (): Promise<ScheduledOutcome> => {
    const { rows } = await sql.query(
      `INSERT INTO scheduled_job AS j (name, last_started_at, last_process, runs)
       VALUES ($1, $2::timestamptz AT TIME ZONE 'UTC', $3, 1)
       ON CONFLICT (name) DO UPDATE SET last_started_at = EXCLUDED.last_started_at,
         last_finished_at = NULL, last_process = EXCLUDED.last_process, runs = j.runs + 1
       WHERE j.last_started_at <= EXCLUDED.last_started_at - make_interval(secs => $4)
       RETURNING name`,
      [job.name, now().toISOString(), PROCESS_NAME, job.everyMs / 1000],
    );
    if (rows.length === 0) return "not due";
    let failed = false;
    try {
      await job.run();
    } catch (error) {
      failed = true;
      logger.error({ job: job.name, err: error }, "scheduled job failed; it runs again when due");
    }
    await sql.query(
      `UPDATE scheduled_job SET last_finished_at = $2::timestamptz AT TIME ZONE 'UTC',
         last_failed = $3 WHERE name = $1`,
      [job.name, now().toISOString(), failed],
    );
    return failed ? "failed" : "ran";
  });
  return held?.value ?? "running elsewhere";
}
