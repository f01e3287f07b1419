import { PrismaClient } from "~/generated/prisma/client";
import { connectDatabase, type SqlClient } from "~/lib/database-adapter.server";

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL beside Prisma, for set-based statements and bulk loads. */
  sql: SqlClient;
  kind: "postgres" | "pglite";
}

function openDatabase(): Database {
  const connection = connectDatabase(
    { databaseUrl: process.env.DATABASE_URL, pgliteDataDir: process.env.PGLITE_DATA_DIR },
    {
      poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      pgliteSnapshot: globalThis.rekindleTestDatabaseSnapshot,
    },
  );
  return {
    prisma: new PrismaClient({ adapter: connection.adapter }),
    sql: connection.sql,
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

export function getDatabase(): Database {
  globalThis.rekindleDatabase ??= openDatabase();
  return globalThis.rekindleDatabase;
}

const prisma = getDatabase().prisma;
export default prisma;
