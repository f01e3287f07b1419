import { Prisma, PrismaClient } from "~/generated/prisma/client";
import {
  connectDatabase,
  type DatabaseConnection,
  type DatabaseHandle,
  type SqlClient,
} from "~/lib/database-adapter.server";
import { databaseEnv } from "~/lib/env.server";
import { assertShopScoped } from "~/lib/shop-scope";

export interface Database {
  prisma: PrismaClient;
  /** Raw SQL beside Prisma, for set-based statements and bulk loads. */
  sql: SqlClient;
  /** Webhook ingest's inbox writes (its own connections on PostgreSQL). */
  ingestSql: SqlClient;
  kind: "postgres" | "pglite";
  /** Where the durable job queue (pg-boss) keeps its tables: this same database. */
  queueDatabase: DatabaseHandle;
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
  const prisma = new PrismaClient({ adapter: connection.adapter });
  return {
    prisma: env.NODE_ENV === "production" ? prisma : shopScopeChecked(prisma),
    sql: connection.sql,
    ingestSql: connection.ingestSql,
    kind: connection.target.kind,
    queueDatabase: queueDatabaseOf(connection),
  };
}

function queueDatabaseOf(connection: DatabaseConnection): DatabaseHandle {
  if (connection.target.kind === "postgres")
    return { kind: "postgres", url: connection.target.url };
  if (!connection.pglite) throw new Error("an embedded database without its PGlite instance");
  return { kind: "pglite", pglite: connection.pglite };
}

/** The models with a shopId column: tenant tables, distributed by shop (docs/scaling.md). */
const TENANT_MODELS: ReadonlySet<string> = new Set(
  Object.values(Prisma.ModelName).filter((model) => {
    const fields = (Prisma as unknown as Record<string, Record<string, string>>)[
      `${model}ScalarFieldEnum`
    ];
    return fields !== undefined && "shopId" in fields;
  }),
);

/**
 * Outside production, an operation on a tenant model that does not name its shop throws
 * (UnscopedTenantQueryError), so a test or a developer finds it before a distributed database
 * would have to ask every node. Production skips the check: it costs a walk of each query's
 * arguments and the tests have run it.
 */
function shopScopeChecked(prisma: PrismaClient): PrismaClient {
  const checked = prisma.$extends({
    query: {
      $allOperations({ model, operation, args, query }) {
        if (model !== undefined && TENANT_MODELS.has(model)) {
          assertShopScoped(model, operation, args as Record<string, unknown> | undefined);
        }
        return query(args);
      },
    },
  });
  // A query extension changes no method or type of the client, only what each call does.
  return checked as unknown as PrismaClient;
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
