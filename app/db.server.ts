import { PrismaClient } from "~/generated/prisma/client";
import { connectDatabase, type SqlClient } from "~/lib/database-adapter.server";
import { databaseEnv } from "~/lib/env.server";

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL beside Prisma, for set-based statements and bulk loads. */
  sql: SqlClient;
  /** Webhook ingest's inbox writes (its own connections on PostgreSQL). */
  ingestSql: SqlClient;
  kind: "postgres" | "pglite";
}

function openDatabase(): Database {
  const env = databaseEnv();
  const connection = connectDatabase(
    { databaseUrl: env.DATABASE_URL, pgliteDataDir: env.PGLITE_DATA_DIR },
    {
      poolSize: env.DATABASE_POOL_SIZE,
      ingestPoolSize: env.INBOX_WRITE_CONNECTIONS,
      pgliteSnapshot: globalThis.rekindleTestDatabaseSnapshot,
    },
  );
  return {
    prisma: new PrismaClient({ adapter: connection.adapter }),
    sql: connection.sql,
    ingestSql: connection.ingestSql,
    kind: connection.target.kind,
  };
}

declare global {
  // Kept on globalThis so Vite's module reloads in development reuse one connection.
  var rekindleDatabase: Database | undefined;
  /**
   * Set by the test setup only (tests/setup/migrated-database.ts): the dump of an already
   * migrated database that each test file's in-memory PGlite starts from.
   */
  var rekindleTestDatabaseSnapshot: Blob | undefined;
}

/** The process's one database, opened on first use (importing this module connects nothing). */
export function getDatabase(): Database {
  globalThis.rekindleDatabase ??= openDatabase();
  return globalThis.rekindleDatabase;
}
