import { afterAll, describe, expect, it } from "vitest";
import { connectDatabase, type SqlClient } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";
import type { Job } from "~/jobs/registry";
import { migratedTestDatabase } from "../helpers/test-database";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { startJobRunner } from "~/jobs/job-runner.server";

// Two runners started at once on one database, as two worker processes would be: a scheduled
// job runs once per due time among them, never in both at once, even when it takes longer
// than its interval. On PostgreSQL each runner has its own pool (its own connections, as a
// process would); on PGlite they share the one process's database.
const { sql: pglite } = await migratedTestDatabase();

const unavailable = await postgresUnavailableReason();
if (unavailable)
  console.warn(`scheduled jobs across PostgreSQL connections skipped: ${unavailable}`);
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
const connect = (url: string) => connectDatabase({ databaseUrl: url }, { poolSize: 4 }).sql;
const postgres: [SqlClient, SqlClient] | undefined = scratch
  ? [connect(scratch.url), connect(scratch.url)]
  : undefined;
if (postgres) await applyMigrations(postgres[0]);

afterAll(async () => {
  await Promise.all((postgres ?? []).map((client) => client.close()));
  await scratch?.drop();
});

const EVERY_MS = 200;
const JOB_MS = 300;
const RUN_FOR_MS = 2_000;

interface Run {
  runner: number;
  start: number;
  end: number;
}

/** Starts one runner per client with a slow scheduled job, lets them pass for a while. */
async function runTogether(clients: [SqlClient, ...SqlClient[]]) {
  await clients[0].query(`DELETE FROM scheduled_job`);
  const runs: Run[] = [];
  const slowJob = (runner: number): Job => ({
    name: "slow-probe",
    kind: "scheduled",
    everyMs: () => EVERY_MS,
    run: async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, JOB_MS));
      runs.push({ runner, start, end: Date.now() });
    },
  });
  const runners = clients.map((sql, index) =>
    startJobRunner(sql, { passMs: 10, jobs: [slowJob(index)] }),
  );
  await new Promise((resolve) => setTimeout(resolve, RUN_FOR_MS));
  await Promise.all(runners.map((runner) => runner.stop()));
  const { rows } = await clients[0].query<{ runs: string }>(
    `SELECT runs::text FROM scheduled_job WHERE name = 'slow-probe'`,
  );
  return { runs: runs.sort((a, b) => a.start - b.start), recorded: Number(rows[0]?.runs) };
}

function expectOnceAtATime({ runs, recorded }: { runs: Run[]; recorded: number }) {
  // THEN the job ran several times, one run after the other, never two at once
  expect(runs.length).toBeGreaterThanOrEqual(3);
  const pairs = runs.slice(1).map((run, index) => ({ run, before: runs[index] as Run }));
  const overlaps = pairs.filter(({ run, before }) => run.start < before.end);
  expect(overlaps).toEqual([]);
  // AND no more often than its interval, counted once per run in scheduled_job
  const early = pairs.filter(({ run, before }) => run.start - before.start < EVERY_MS);
  expect(early).toEqual([]);
  expect(recorded).toBe(runs.length);
}

describe("a scheduled job with two runners on one database", () => {
  it.runIf(postgres)("runs once per due time on PostgreSQL, in one process at a time", async () => {
    // GIVEN two runners on their own connections WHEN a job slower than its interval is due
    const result = await runTogether(postgres as [SqlClient, SqlClient]);
    console.log(
      `PostgreSQL: ${result.runs.length} runs in ${RUN_FOR_MS} ms, by runners`,
      result.runs.map((run) => run.runner).join(""),
    );
    expectOnceAtATime(result);
  });

  it("runs once per due time on the embedded database", async () => {
    const result = await runTogether([pglite, pglite]);
    expectOnceAtATime(result);
  });

  it("records a failed run and runs the job again when it is next due", async () => {
    await pglite.query(`DELETE FROM scheduled_job`);
    let attempts = 0;
    const failing: Job = {
      name: "failing-probe",
      kind: "scheduled",
      everyMs: () => 50,
      run: async () => {
        attempts += 1;
        throw new Error("Shopify unavailable");
      },
    };
    const runner = startJobRunner(pglite, { passMs: 10, jobs: [failing] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await runner.stop();
    const { rows } = await pglite.query<{ last_failed: boolean; runs: string }>(
      `SELECT last_failed, runs::text FROM scheduled_job WHERE name = 'failing-probe'`,
    );
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(rows).toEqual([{ last_failed: true, runs: String(attempts) }]);
  });
});
