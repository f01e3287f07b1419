import { readFile } from "node:fs/promises";
import {
  createScratchPostgresDatabase,
  openScratchPool,
  postgresUnavailableReason,
} from "../../tests/helpers/scratch-postgres";
import { applyMigrations } from "../../app/lib/migrations.server";
import { poolSqlClient, type SqlClient } from "../../app/lib/database-adapter.server";

export { postgresUnavailableReason };

/** A migrated scratch database on the PostgreSQL server, dropped by `drop`. */
export async function scratchDatabase() {
  const scratch = await createScratchPostgresDatabase();
  const pool = openScratchPool(scratch.url, 4);
  const sql = poolSqlClient(pool);
  await applyMigrations(sql);
  return {
    url: scratch.url,
    sql,
    drop: async () => {
      await pool.end();
      await scratch.drop();
    },
  };
}

export { percentile } from "./percentile";

/**
 * CPU seconds used so far by each server process connected to this database, read from
 * /proc (so only for a server on this machine; empty otherwise). Taken before and after a run,
 * it splits the run's time between the client and the database.
 */
export async function databaseBackendCpu(sql: SqlClient): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
    // Fields 14 and 15 (user and system time, in clock ticks of 1/100 s) follow the
    // parenthesized command name.
    const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields) cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return cpu;
}

/** CPU seconds the database's processes used between two `databaseBackendCpu` readings. */
export function databaseCpuBetween(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
): number {
  let seconds = 0;
  for (const [pid, total] of after) seconds += total - (before.get(pid) ?? 0);
  return Math.round(seconds * 10) / 10;
}
