import { randomBytes } from "node:crypto";
import pg from "pg";
import { getDatabase } from "~/db.server";
import { applyMigrations } from "~/lib/migrations.server";

/**
 * The app's own database singleton, on an in-memory PGlite (tests set PGLITE_DATA_DIR to
 * `memory`), with the shipped migrations applied once per test file.
 */
export async function migratedTestDatabase() {
  const database = getDatabase();
  await applyMigrations(database.sql);
  return database;
}

/** Empties every application table (all but Prisma's migration bookkeeping). */
export async function truncateAppTables(): Promise<void> {
  const { sql } = getDatabase();
  const { rows } = await sql.query<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  const tables = rows.map((row) => `"${row.tablename}"`).join(", ");
  await sql.exec(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
}

export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Why PostgreSQL-backed tests cannot run here, or undefined when a server answers. */
export async function postgresUnavailableReason(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable at ${new URL(POSTGRES_ADMIN_URL).host} (${(error as Error).message}); set TEST_POSTGRES_URL or run .ci/run, which starts one`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A throwaway database on the PostgreSQL server, dropped by the returned function. */
export async function createScratchPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `rekindle_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
