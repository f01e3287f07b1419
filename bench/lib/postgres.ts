import {
  createScratchPostgresDatabase,
  openScratchPool,
  postgresUnavailableReason,
} from "../../tests/helpers/scratch-postgres";
import { applyMigrations } from "../../app/lib/migrations.server";
import { poolSqlClient } from "../../app/lib/database-adapter.server";

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

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}
