import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../tests/e2e/helpers/demo-process";
import { npmRunEnv } from "../tests/helpers/child-process-env";
import { orderWebhookBody } from "./lib/synthetic-orders";
import type { SqlQueryable } from "../app/lib/database-adapter.server";
import { scratchDatabase } from "./lib/postgres";
import { processTreeCoreTimes, processTreeCpuMs } from "./lib/process-cpu";
import { sampleSessionWaits } from "./lib/session-waits";
import { stop, waitForServer } from "./lib/server-process";
import { sendWebhookLoad, type WebhookLoad } from "./lib/webhook-load";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-secret";
const CONNECTIONS = 20;
/** Line items in the bench's orders/create body: about 12 KB, a large real order's size. */
const LINE_ITEMS = 67;

export interface IngestRow {
  server: string;
  processes: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per answered request: the server's processes, and (ours) its database sessions. */
  serverCpuUsPerReq: number | undefined;
  databaseCpuUsPerReq?: number | undefined;
  /** CPU per answered request of the load generator (this process). */
  loadCpuUsPerReq: number;
  /**
   * Milliseconds the server's main threads (each web process's JavaScript) waited runnable for
   * a core per millisecond they ran: above 1, the machine's cores set the pace, not the work.
   */
  serverCoreWaitPerRun: number | undefined;
  acknowledged: number;
  refused: number;
  /** The machine's 1-minute load average at the end of the measured run (2 cores here). */
  loadAverage: number;
  /**
   * Ours only, how deliveries reached the disk: inbox rows per INSERT statement (each its own
   * transaction), and per WAL flush (fsync) of the whole PostgreSQL server, which other
   * databases' commits share, so it is a lower bound. With every acknowledgement waiting for
   * a flush, requests per second is about rows per flush over the flush time.
   */
  rowsPerCommit?: number | undefined;
  rowsPerWalFlush?: number | undefined;
  /**
   * WAL flushes per second of the whole server; times the time one flush takes, the share of
   * the run the disk was flushing.
   */
  walFlushesPerSec?: number | undefined;
  /**
   * Ours only, the database sessions' time sampled over the run: idle (waiting for the web
   * process's next statement), and waiting on the WAL (a flush, or another session's flush).
   */
  sessionsIdleShare?: number | undefined;
  sessionsWalShare?: number | undefined;
  /** WAL bytes written per delivery, the whole server's (other databases' too). */
  walBytesPerReq?: number | undefined;
  /** Ours only: inbox rows of acknowledged deliveries, and those missing or stored twice. */
  stored?: number;
  lost?: number;
  doubled?: number;
  /** Stored payloads that differ from the body sent. */
  altered?: number;
}

export interface IngestFigures {
  bodyBytes: number;
  seconds: number;
  rows: IngestRow[];
  ratios: Record<string, string>;
}

/**
 * Webhook ingest, three servers under the same load one after the other (autocannon,
 * `CONNECTIONS` connections, as fast as each answers, signed ~12 KB orders/create bodies with
 * a unique webhook id each): a bare node:http server that only checks the HMAC (the floor),
 * the Shopify template's bare `authenticate.webhook` route (no database), and the app's
 * production server on PostgreSQL, started as `npm start` starts it, with 1 and 2 web
 * processes. For ours, every acknowledged delivery is looked up in the inbox afterwards.
 */
export async function benchIngest(options: {
  seconds: number;
  warmUpSeconds: number;
}): Promise<IngestFigures> {
  // Always from the current sources: a stale build/ would measure old code.
  const build = spawnSync("npm", ["run", "build"], {
    cwd: root,
    stdio: "ignore",
    env: npmRunEnv(),
  });
  if (build.status !== 0) throw new Error("build failed");
  const body = orderWebhookBody(1, 1, LINE_ITEMS);
  const run = (port: number, seconds: number, idPrefix: string) =>
    sendWebhookLoad({
      url: `http://127.0.0.1:${port}/webhooks/orders`,
      secret: SECRET,
      body,
      connections: CONNECTIONS,
      seconds,
      idPrefix,
    });
  /**
   * A server that has been up a while: the first seconds (JIT, pools filling) are not
   * measured, but their deliveries are checked like the others. CPU is counted over the
   * measured run: the server's processes, and the sessions and counters of its database.
   */
  const measure = async (
    port: number,
    server: ChildProcess,
    idPrefix: string,
    database?: DatabaseProbe,
  ): Promise<Measured> => {
    const warmUp = await run(port, options.warmUpSeconds, `${idPrefix}-warm`);
    const sessions = (await database?.sessions()) ?? [];
    const countersBefore = await database?.counters();
    const serverCpu = cpuCounter([server.pid ?? 0]);
    const serverCores = processTreeCoreTimes([server.pid ?? 0]);
    const databaseCpu = cpuCounter(sessions);
    const waits = database ? await sampleSessionWaits(sessions) : undefined;
    const loadCpu = process.cpuUsage();
    const measured = await run(port, options.seconds, idPrefix);
    const { user, system } = process.cpuUsage(loadCpu);
    const serverCoresAfter = processTreeCoreTimes([server.pid ?? 0]);
    const sessionWaits = await waits?.stop();
    const countersAfter = await database?.counters();
    return {
      warmUp,
      measured,
      loadCpuUsPerRequest: Math.round((user + system) / Math.max(1, measured.answered)),
      serverCpuUsPerRequest: serverCpu.usPer(measured.answered),
      databaseCpuUsPerRequest: sessions.length ? databaseCpu.usPer(measured.answered) : undefined,
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      serverCoreWaitPerRun: coreWaitPerRun(serverCores, serverCoresAfter),
      flushes:
        countersBefore && countersAfter
          ? flushFigures(countersBefore, countersAfter, measured.answered, options.seconds)
          : {},
      sessionsIdleShare: sessionWaits?.idleShare,
      sessionsWalShare: sessionWaits?.walShare,
    };
  };

  const rows: IngestRow[] = [];
  for (const [server, script] of [
    ["floor: node:http, HMAC only", "bench/ingest-servers/hmac-floor.ts"],
    ["template: authenticate.webhook", "bench/ingest-servers/template-webhook.ts"],
  ] as const) {
    const port = await freePort();
    const child = startNode([script], appSettings(port));
    try {
      await waitForServer(port, child);
      rows.push(loadRow(server, 1, await measure(port, child, server)));
    } finally {
      await stop(child);
    }
  }
  for (const processes of [1, 2]) rows.push(await benchOurs(processes, body, measure));

  const [floor, template, ...ours] = rows;
  const ratios: Record<string, string> = {};
  for (const row of ours) {
    ratios[`ours (${row.processes} web) / floor`] = ratio(row, floor);
    ratios[`ours (${row.processes} web) / template`] = ratio(row, template);
  }
  ratios["ours 2 web / 1 web"] = ratio(ours[1], ours[0]);
  return { bodyBytes: Buffer.byteLength(body), seconds: options.seconds, rows, ratios };
}

interface Measured {
  warmUp: WebhookLoad;
  measured: WebhookLoad;
  /** This process's, sending the load (autocannon): it shares the machine with the server. */
  loadCpuUsPerRequest: number;
  serverCpuUsPerRequest: number | undefined;
  databaseCpuUsPerRequest: number | undefined;
  serverCoreWaitPerRun: number | undefined;
  sessionsIdleShare: number | undefined;
  sessionsWalShare: number | undefined;
  loadAverage: number;
  flushes: Pick<
    IngestRow,
    "rowsPerCommit" | "rowsPerWalFlush" | "walFlushesPerSec" | "walBytesPerReq"
  >;
}

/** The database a server writes to, as the bench looks at it. */
interface DatabaseProbe {
  /** Its server processes (one per connection). */
  sessions(): Promise<number[]>;
  counters(): Promise<DatabaseCounters>;
}

interface DatabaseCounters {
  /** Transactions committed in the database. */
  commits: number;
  /** WAL flushes of the whole server. */
  walFlushes: number;
  /** The whole server's WAL position, in bytes. */
  walBytes: number;
}

/**
 * The counters of the database `sql` is connected to. PostgreSQL's statistics reach these
 * views within about a second of a busy transaction, so over a run of N seconds they are
 * right to about 1/N; the WAL position is exact.
 */
async function databaseCounters(sql: SqlQueryable): Promise<DatabaseCounters> {
  const { rows } = await sql.query<{ commits: string; wal_flushes: string; wal_bytes: string }>(
    `SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits,
            (SELECT wal_sync FROM pg_stat_wal)::text AS wal_flushes,
            pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS wal_bytes`,
  );
  const row = rows[0];
  return {
    commits: Number(row?.commits ?? 0),
    walFlushes: Number(row?.wal_flushes ?? 0),
    walBytes: Number(row?.wal_bytes ?? 0),
  };
}

function flushFigures(
  before: DatabaseCounters,
  after: DatabaseCounters,
  requests: number,
  seconds: number,
) {
  const per = (count: number) => (count > 0 ? Math.round((requests / count) * 10) / 10 : undefined);
  const walFlushes = after.walFlushes - before.walFlushes;
  return {
    // Less the bench's own reading of the counters, one transaction.
    rowsPerCommit: per(after.commits - before.commits - 1),
    rowsPerWalFlush: per(walFlushes),
    walFlushesPerSec: Math.round(walFlushes / seconds),
    walBytesPerReq:
      requests > 0 ? Math.round((after.walBytes - before.walBytes) / requests) : undefined,
  };
}

async function benchOurs(
  processes: number,
  body: string,
  measure: (
    port: number,
    server: ChildProcess,
    idPrefix: string,
    database: DatabaseProbe,
  ) => Promise<Measured>,
): Promise<IngestRow> {
  const db = await scratchDatabase();
  const port = await freePort();
  const child = startNode(["scripts/server.ts"], {
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    WORKERS_IN_PROCESS: "false",
    WEB_CONCURRENCY: String(processes),
    LOG_LEVEL: "warn",
    ...appSettings(port),
  });
  try {
    await waitForServer(port, child);
    const result = await measure(port, child, `ours-${processes}`, {
      sessions: async () => {
        const { rows } = await db.sql.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        return rows.map((row) => row.pid);
      },
      counters: () => databaseCounters(db.sql),
    });
    const { warmUp, measured } = result;
    // Every delivery acknowledged in the warm-up and the measured run must be in the inbox,
    // once, byte for byte.
    const check = await db.sql.query<{
      stored: string;
      found: string;
      doubled: string;
      altered: string;
    }>(
      `WITH acknowledged AS (
         SELECT webhook_id, n > $2 AS measured FROM unnest($1::text[]) WITH ORDINALITY AS a (webhook_id, n)),
       found AS (
         SELECT i.webhook_id, i.payload, a.measured
         FROM webhook_inbox i JOIN acknowledged a USING (webhook_id))
       SELECT count(*) FILTER (WHERE measured)::text AS stored,
              count(DISTINCT webhook_id)::text AS found,
              (count(*) - count(DISTINCT webhook_id))::text AS doubled,
              count(*) FILTER (WHERE md5(payload) <> md5($3))::text AS altered
       FROM found`,
      [
        [...warmUp.acknowledgedIds, ...measured.acknowledgedIds],
        warmUp.acknowledgedIds.length,
        body,
      ],
    );
    const counts = check.rows[0];
    const acknowledged = warmUp.acknowledged + measured.acknowledged;
    return {
      ...loadRow("ours: npm start, PostgreSQL", processes, result),
      stored: Number(counts?.stored ?? 0),
      lost: acknowledged - Number(counts?.found ?? 0),
      doubled: Number(counts?.doubled ?? 0),
      altered: Number(counts?.altered ?? 0),
    };
  } finally {
    await stop(child);
    await db.drop();
  }
}

/** CPU used by `pids` (and their children) from now on, per request. */
function cpuCounter(pids: number[]) {
  const start = processTreeCpuMs(pids);
  return {
    usPer(requests: number): number | undefined {
      const end = processTreeCpuMs(pids);
      if (start === undefined || end === undefined || requests === 0) return undefined;
      return Math.round(((end - start) * 1000) / requests);
    },
  };
}

type CoreTimes = ReturnType<typeof processTreeCoreTimes>;

function coreWaitPerRun(before: CoreTimes, after: CoreTimes): number | undefined {
  if (!before || !after || after.runMs <= before.runMs) return undefined;
  return Math.round(((after.waitMs - before.waitMs) / (after.runMs - before.runMs)) * 10) / 10;
}

/** The Shopify settings every server gets (the same app secret signs the load). */
const appSettings = (port: number) => ({
  PORT: String(port),
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
  SCOPES: "read_orders",
});

function loadRow(server: string, processes: number, result: Measured): IngestRow {
  const load = result.measured;
  return {
    server,
    processes,
    reqPerSec: load.requestsPerSecond,
    p50Ms: load.latencyP50Ms,
    p99Ms: load.latencyP99Ms,
    serverCpuUsPerReq: result.serverCpuUsPerRequest,
    serverCoreWaitPerRun: result.serverCoreWaitPerRun,
    databaseCpuUsPerReq: result.databaseCpuUsPerRequest,
    loadCpuUsPerReq: result.loadCpuUsPerRequest,
    acknowledged: load.acknowledged,
    refused: load.refused,
    loadAverage: result.loadAverage,
    ...result.flushes,
    sessionsIdleShare: result.sessionsIdleShare,
    sessionsWalShare: result.sessionsWalShare,
  };
}

const ratio = (row: IngestRow | undefined, base: IngestRow | undefined) =>
  row && base && base.reqPerSec > 0 ? `${(row.reqPerSec / base.reqPerSec).toFixed(2)}x` : "n/a";

/** node with the tsx loader in one process (no npx/tsx wrappers), so stopping it stops it. */
function startNode(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(path.join(root, "node_modules/.bin/node"), ["--import", "tsx", ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: npmRunEnv(env),
  });
}

/** The ingest benchmark as `npm run bench` prints it; `smoke` runs seconds instead of tens. */
export async function printIngestBenchmarks(smoke: boolean, seconds?: number): Promise<void> {
  const figures = await benchIngest({
    seconds: seconds ?? (smoke ? 3 : 30),
    warmUpSeconds: smoke ? 2 : 5,
  });
  console.log(
    `webhook ingest, ${CONNECTIONS} connections as fast as answered, ${figures.bodyBytes}-byte ` +
      `signed orders/create bodies, ${figures.seconds} s each (target: ours >= 5,000 req/s ` +
      `durably stored, p99 < 20 ms, 0 lost, 0 doubled; lost = acknowledged but not in the inbox)`,
  );
  console.table(figures.rows);
  console.table(figures.ratios);
}
