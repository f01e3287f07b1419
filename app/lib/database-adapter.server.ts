import { mkdirSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { logger } from "./logger.server";

/**
 * Where the data lives: a real PostgreSQL server when `DATABASE_URL` is set (production, load
 * tests), otherwise the embedded WASM PostgreSQL (PGlite) in `PGLITE_DATA_DIR` (demo,
 * development, most tests; `memory` keeps it in memory). One SQL dialect either way.
 */
export type DatabaseTarget =
  { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string | undefined };

export interface DatabaseSettings {
  databaseUrl?: string | undefined;
  pgliteDataDir?: string | undefined;
}

export const DEFAULT_PGLITE_DATA_DIR = ".data/pglite";

export function resolveDatabaseTarget(settings: DatabaseSettings): DatabaseTarget {
  if (settings.databaseUrl) return { kind: "postgres", url: settings.databaseUrl };
  const dataDir = settings.pgliteDataDir || DEFAULT_PGLITE_DATA_DIR;
  return { kind: "pglite", dataDir: dataDir === "memory" ? undefined : dataDir };
}

export interface QueryOptions {
  /**
   * Keeps the statement prepared under this name on each PostgreSQL connection, so the server
   * parses and plans it once per connection instead of on every call: for hot statements whose
   * text never changes (one name, one text). PGlite runs it as usual.
   */
  preparedAs?: string;
}

/** A raw SQL connection beside Prisma, for set-based statements and bulk loads. */
export interface SqlClient {
  /** Whether queries issued together run on separate connections (a pool) or one at a time. */
  readonly concurrentQueries: boolean;
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: Row[] }>;
  /** Runs several statements separated by semicolons (no parameters). */
  exec(text: string): Promise<void>;
  /** Runs `work` on one connection inside BEGIN/COMMIT; any error rolls everything back. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Runs `work` while holding the lock named `key`, or returns undefined at once when another
   * holder has it. On PostgreSQL it is a session advisory lock on a connection kept for the
   * work, so it holds across every process on the database (and is released by the server if
   * the process dies); `work` runs its queries through the pool as usual. On PGlite one process
   * owns the database, so a lock within the process is the same guarantee.
   */
  whileLocked<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | undefined>;
  close(): Promise<void>;
}

/** The advisory lock space of `whileLocked` (first key of the two-key form): "RKJL". */
const LOCK_SPACE = 0x52_4b_4a_4c;

export type SqlQueryable = Pick<SqlClient, "query" | "exec">;

/** The connection a transaction runs on: statements, and COPY for bulk loads. */
export interface SqlTransaction extends SqlQueryable {
  /**
   * Loads `rows`, PostgreSQL's COPY text format (app/lib/copy-text.ts), into `target`: a table
   * name with an optional column list. Several times faster for the server than the same rows
   * as a JSON parameter, and a third of the bytes.
   */
  copyFrom(target: string, rows: string): Promise<void>;
}

/**
 * The database itself, for libraries that connect on their own rather than through SqlClient
 * (the job queue): the PostgreSQL URL, or the embedded PGlite instance.
 */
export type DatabaseHandle = { kind: "postgres"; url: string } | { kind: "pglite"; pglite: PGlite };

export interface DatabaseConnection {
  target: DatabaseTarget;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  sql: SqlClient;
  /**
   * Webhook ingest's own connections (PostgreSQL: a second small pool, opened on first use;
   * PGlite: `sql` itself). See `openIngestPool`.
   */
  ingestSql: SqlClient;
  /** The embedded database itself (PGlite only), for libraries that drive it directly. */
  pglite?: PGlite;
}

export function pgliteSqlClient(pglite: PGlite): SqlClient {
  return {
    concurrentQueries: false,
    async query<Row>(text: string, params?: unknown[]) {
      const result = await pglite.query<Row>(text, params);
      return { rows: result.rows };
    },
    async exec(text: string) {
      await pglite.exec(text);
    },
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async <Row>(text: string, params?: unknown[]) => ({
            rows: (await tx.query<Row>(text, params)).rows,
          }),
          exec: async (text: string) => {
            await tx.exec(text);
          },
          // PGlite reads COPY data from the blob passed with the statement.
          copyFrom: async (target: string, rows: string) => {
            await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
          },
        }),
      ),
    whileLocked: lockWithinProcess(),
    close: () => pglite.close(),
  };
}

function lockWithinProcess(): SqlClient["whileLocked"] {
  const held = new Set<string>();
  return async (key, work) => {
    if (held.has(key)) return undefined;
    held.add(key);
    try {
      return { value: await work() };
    } finally {
      held.delete(key);
    }
  };
}

export function poolSqlClient(pool: pg.Pool): SqlClient {
  return {
    concurrentQueries: true,
    async query<Row>(text: string, params?: unknown[], options?: QueryOptions) {
      const result = await pool.query({ text, values: params, name: options?.preparedAs });
      return { rows: result.rows as Row[] };
    },
    async exec(text: string) {
      await pool.query(text);
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({
          query: async <Row>(text: string, params?: unknown[], options?: QueryOptions) => ({
            rows: (await client.query({ text, values: params, name: options?.preparedAs }))
              .rows as Row[],
          }),
          exec: async (text: string) => {
            await client.query(text);
          },
          copyFrom: async (target: string, rows: string) => {
            await pipeline(
              Readable.from([rows]),
              client.query(copyFromStdin(`COPY ${target} FROM STDIN`)),
            );
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async whileLocked(key, work) {
      const client = await pool.connect();
      let locked = false;
      let connectionBroken = false;
      try {
        const { rows } = await client.query<{ locked: boolean }>(
          `SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`,
          [LOCK_SPACE, key],
        );
        locked = rows[0]?.locked === true;
        if (!locked) return undefined;
        return { value: await work() };
      } finally {
        if (locked) {
          await client
            .query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_SPACE, key])
            .catch(() => (connectionBroken = true));
        }
        // A connection that could not unlock is closed rather than reused: closing it is what
        // releases its lock on the server.
        client.release(connectionBroken);
      }
    },
    close: () => pool.end(),
  };
}

export interface ConnectOptions {
  /** Maximum pooled connections for PostgreSQL. */
  poolSize?: number;
  /** Connections of the ingest pool (PostgreSQL). */
  ingestPoolSize?: number;
  /** An already open PGlite instance (tests share one in memory). */
  pglite?: PGlite;
  /**
   * A PGlite dump (`dumpDataDir`) an in-memory database starts from instead of an empty
   * cluster: tests open one already migrated database per file this way (tests/setup/).
   */
  pgliteSnapshot?: Blob;
}

export function connectDatabase(
  settings: DatabaseSettings,
  options: ConnectOptions = {},
): DatabaseConnection {
  const target = resolveDatabaseTarget(settings);
  if (target.kind === "postgres") {
    const pool = openPool(target.url, options.poolSize ?? 10);
    return {
      target,
      adapter: new PrismaPg(pool),
      sql: poolSqlClient(pool),
      ingestSql: ingestSqlClient(target.url, options.ingestPoolSize ?? 4),
    };
  }
  if (target.dataDir && !options.pglite) mkdirSync(target.dataDir, { recursive: true });
  const loadDataDir = target.dataDir === undefined ? options.pgliteSnapshot : undefined;
  const pglite = options.pglite ?? new PGlite({ dataDir: target.dataDir, loadDataDir });
  // pglite-prisma-adapter 0.6 is typed against an older @prisma/driver-adapter-utils than
  // Prisma 6.19's; the runtime interface is the same, only the declared types differ.
  const adapter = new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;
  const sql = pgliteSqlClient(pglite);
  return { target, adapter, sql, ingestSql: sql, pglite };
}

/** A pool (connections open on first use). */
function openPool(url: string, max: number, settings = ""): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // Timestamps are stored without a zone and read as UTC by Prisma: pin the session zone.
    options: `-c TimeZone=UTC${settings}`,
  });
  // An idle connection dropped by the server (restart, failover) is reported here; without a
  // listener it would crash the process. The pool replaces it on the next query.
  pool.on("error", (error) => {
    logger.warn({ err: error }, "idle database connection lost");
  });
  return pool;
}

/** SQLSTATEs of a server that does not know the setting or the value (built without lz4). */
const UNSUPPORTED_SETTING = new Set(["22023", "42704"]);

/**
 * The pool webhook ingest writes the inbox through, opened on first use. Its sessions compress
 * large values (the raw bodies) with lz4 instead of the server's default pglz: measured on
 * 12 KB order bodies, half the server CPU per stored delivery (`npm run bench`). A value's
 * method is stored with it, so every reader decompresses it whatever its own session says. A
 * server built without lz4 refuses the setting at connection time: one trial connection finds
 * out, and the pool then keeps the server's default.
 */
function ingestSqlClient(url: string, max: number): SqlClient {
  let opening: Promise<SqlClient> | undefined;
  const open = async () => {
    const lz4 = " -c default_toast_compression=lz4";
    const trial = new pg.Client({ connectionString: url, options: `-c TimeZone=UTC${lz4}` });
    try {
      await trial.connect();
      return poolSqlClient(openPool(url, max, lz4));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !UNSUPPORTED_SETTING.has(code)) throw error;
      logger.warn({ err: error }, "lz4 compression unavailable; the inbox keeps pglz");
      return poolSqlClient(openPool(url, max));
    } finally {
      await trial.end().catch(() => undefined);
    }
  };
  const client = () => {
    // A failed trial (server down) is tried again on the next use.
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
  return {
    concurrentQueries: true,
    query: async (text, params, options) => (await client()).query(text, params, options),
    exec: async (text) => (await client()).exec(text),
    transaction: async (work) => (await client()).transaction(work),
    whileLocked: async (key, work) => (await client()).whileLocked(key, work),
    close: async () => {
      if (opening) await (await opening.catch(() => undefined))?.close();
    },
  };
}
