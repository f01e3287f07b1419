import pg from "pg";
import { POSTGRES_ADMIN_URL } from "../../tests/helpers/scratch-postgres";

export interface SessionWaits {
  /** Share of sampled session-moments idle: waiting for the app to send the next statement. */
  idleShare: number;
  /** Share waiting on the WAL: its fsync, or the lock another session holds while flushing. */
  walShare: number;
  samples: number;
}

/**
 * What the database sessions `pids` are doing, sampled from pg_stat_activity every `everyMs`
 * until `stop`. The samples are read through the admin database, so they add no transaction
 * to the database whose commits the bench counts.
 */
export async function sampleSessionWaits(pids: readonly number[], everyMs = 10) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  let stopped = false;
  let sessions = 0;
  let idle = 0;
  let wal = 0;
  let samples = 0;
  const sampling = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ sessions: number; idle: number; wal: number }>(
        `SELECT count(*)::int AS sessions,
                count(*) FILTER (WHERE state = 'idle')::int AS idle,
                count(*) FILTER (WHERE wait_event IN ('WALSync', 'WALWrite'))::int AS wal
         FROM pg_stat_activity WHERE pid = ANY($1::int[])`,
        [pids],
      );
      sessions += rows[0]?.sessions ?? 0;
      idle += rows[0]?.idle ?? 0;
      wal += rows[0]?.wal ?? 0;
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop(): Promise<SessionWaits> {
      stopped = true;
      await sampling;
      await client.end();
      const share = (count: number) => (sessions ? Math.round((count / sessions) * 100) / 100 : 0);
      return { idleShare: share(idle), walShare: share(wal), samples };
    },
  };
}
