import { getDatabase } from "~/db.server";
import { applyMigrations } from "~/lib/migrations.server";
import { forgetDatabaseCaches } from "~/lib/response-cache";

/**
 * The app's own database singleton, on an in-memory PGlite (tests set PGLITE_DATA_DIR to
 * `memory`) with the shipped migrations applied. In the fast tier it starts from the run's
 * migrated dump (tests/setup/migrated-database.ts), so applying finds nothing pending; without
 * the dump (or on PostgreSQL) the migrations run here.
 */
export async function migratedTestDatabase() {
  const database = getDatabase();
  await applyMigrations(database.sql);
  return database;
}

/** Empties every application table (all but Prisma's migration bookkeeping), and the caches kept per database. */
export async function truncateAppTables(): Promise<void> {
  const { sql } = getDatabase();
  const { rows } = await sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  const tables = rows.map((row) => `"${row.tablename}"`).join(", ");
  await sql.exec(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
  forgetDatabaseCaches(sql);
}

export {
  createScratchPostgresDatabase,
  POSTGRES_ADMIN_URL,
  postgresUnavailableReason,
} from "./scratch-postgres";
