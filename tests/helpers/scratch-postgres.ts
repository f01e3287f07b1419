import { randomBytes } from "node:crypto";
import pg from "pg";

// Kept apart from test-database.ts (which opens the app's database on import), so a test can
// create a scratch database and point DATABASE_URL at it before the app's modules load.

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

/**
 * A pool on a scratch database. `pool.end()` resolves before its connections have finished
 * closing, so the forced drop that follows can terminate one mid-close; that error arrives on
 * the pool, and without a listener it would be an unhandled error in the test run.
 */
export function openScratchPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options: "-c TimeZone=UTC" });
  pool.on("error", (error) => {
    if (!pool.ending) console.warn(`scratch database connection lost: ${error.message}`);
  });
  return pool;
}
