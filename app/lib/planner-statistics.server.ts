import type { SqlQueryable } from "./database-adapter.server";
import { logger } from "./logger.server";

/**
 * Takes fresh planner statistics (ANALYZE) of the tables that grew since theirs were taken, or
 * never had any: those with more than a tenth more pages (and two) than their last ANALYZE saw.
 * The embedded database runs no autovacuum, so without this the tables written after the
 * backfill (scores, stage changes, pixel events, win-back and flow records) keep no statistics
 * and the planner takes them for nearly empty: the dashboard's "viewed but not bought" then
 * compared every stitched visitor with every event by a nested loop. On PostgreSQL autovacuum
 * has usually analyzed them first and this finds little to do. Returns the tables analyzed.
 */
export async function analyzeGrownTables(sql: SqlQueryable): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind = 'r'
       AND pg_relation_size(c.oid) / current_setting('block_size')::int
           > CASE WHEN c.reltuples < 0 THEN 0 ELSE c.relpages * 1.1 + 2 END
     ORDER BY 1`,
  );
  const tables = rows.map((row) => row.name);
  if (tables.length > 0) {
    await sql.exec(`ANALYZE ${tables.join(", ")}`);
    logger.info({ tables }, "planner statistics taken");
  }
  return tables;
}
