import { spawn, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { maintainPartitions } from "../app/lib/partitions/partition-maintenance.server";
import { pixelEventPartitions } from "../app/services/behaviour/pixel-retention";
import { freePort } from "../tests/e2e/helpers/demo-process";
import { npmRunEnv } from "../tests/helpers/child-process-env";
import { postgresUnavailableReason, scratchDatabase } from "./lib/postgres";
import { sendPixelLoad } from "./lib/pixel-load";
import { processTreeCpuMs } from "./lib/process-cpu";
import { stop, waitForServer } from "./lib/server-process";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-secret";
const CONNECTIONS = 20;
const SHOPS = ["north-goods", "south-goods", "east-goods", "west-goods"].map(
  (name) => `${name}.myshopify.com`,
);
/** Browsers the batches come from: enough that none reaches its rate limit. */
const BROWSERS = 20_000;

export interface PixelIngestFigures {
  seconds: number;
  eventsPerSec: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * Events in batches answered 2xx (warm-up included), those not found stored, and those
   * stored twice. Stored counts every row: batches still in flight when the load stopped are
   * stored without their answer being counted.
   */
  acknowledgedEvents: number;
  storedEvents: number;
  lost: number;
  doubled: number;
  refusedRequests: number;
  /** Browsers stitched to a customer, and events credited to one. */
  stitchedBrowsers: number;
  customerEvents: number;
  /** pg_total_relation_size of pixel_event's partitions (indexes included) per million rows. */
  mbPerMillionEvents: number;
  /**
   * CPU per stored event in the measured run: the web process, the database sessions serving
   * it, and this process (autocannon, building the batches). On a shared machine throughput
   * swings with the neighbours' load; CPU per event much less so.
   */
  serverCpuUsPerEvent: number | undefined;
  databaseCpuUsPerEvent: number | undefined;
  loadCpuUsPerEvent: number;
  /** The machine's 1-minute load average when the run ended (it is shared). */
  loadAverage1m: number;
}

/**
 * The web pixel's ingest on real PostgreSQL: the app's HTTP front as a web process serves it
 * (createAppFront with the webhook and pixel fronts, tests/process/web-process.ts, in its own
 * process and NODE_ENV=production), driven by autocannon from `CONNECTIONS` connections as
 * fast as it answers, with batches of 1-10 events of unique ids from many browsers of four
 * shops. Today's partitions exist, as the hourly job makes them. Afterwards every event of an
 * acknowledged batch is looked up: lost = acknowledged but not stored.
 */
export async function benchPixelIngest(options: {
  seconds: number;
  warmUpSeconds: number;
}): Promise<PixelIngestFigures> {
  const db = await scratchDatabase();
  const port = await freePort();
  let server: ChildProcess | undefined;
  try {
    await db.sql.query(`INSERT INTO shop (domain, updated_at) SELECT unnest($1::text[]), now()`, [
      SHOPS,
    ]);
    await maintainPartitions(db.sql, [pixelEventPartitions(90)]);
    server = spawn(
      path.join(root, "node_modules/.bin/node"),
      ["--import", "tsx", "tests/process/web-process.ts"],
      {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
        env: npmRunEnv({
          NODE_ENV: "production",
          DATABASE_URL: db.url,
          LOG_LEVEL: "error",
          PORT: String(port),
          SHOPIFY_API_KEY: "bench-key",
          SHOPIFY_API_SECRET: SECRET,
          SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
          SCOPES: "read_customer_events",
        }),
      },
    );
    await waitForServer(port, server);
    const load = (seconds: number, idPrefix: string) =>
      sendPixelLoad({
        url: `http://127.0.0.1:${port}/pixel/events`,
        secret: SECRET,
        shops: SHOPS,
        connections: CONNECTIONS,
        seconds,
        idPrefix,
        browsers: BROWSERS,
      });
    // JIT and pools filling: not measured, but its events are checked like the others.
    const warmUp = await load(options.warmUpSeconds, "warm");
    const { rows: sessions } = await db.sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const cpu = cpuCounter(
      server.pid ?? 0,
      sessions.map((row) => row.pid),
    );
    const measured = await load(options.seconds, "run");
    const measuredEvents = measured.acknowledgedEventIds.length;
    const cpuUs = cpu.usPer(measuredEvents);
    const loadAverage1m = loadavg()[0] ?? 0;

    const acknowledged = [...warmUp.acknowledgedEventIds, ...measured.acknowledgedEventIds];
    const { rows } = await db.sql.query<{
      found: number;
      copies: number;
      stored: number;
      customer_events: number;
      stitched: number;
      bytes: string;
    }>(
      `SELECT (SELECT count(DISTINCT event_id)::int FROM pixel_event
               WHERE event_id = ANY($1::text[])) AS found,
              (SELECT count(*)::int FROM pixel_event WHERE event_id = ANY($1::text[])) AS copies,
              (SELECT count(*)::int FROM pixel_event) AS stored,
              (SELECT count(*)::int FROM pixel_event WHERE customer_id IS NOT NULL) AS customer_events,
              (SELECT count(*)::int FROM pixel_visitor) AS stitched,
              (SELECT sum(pg_total_relation_size(inhrelid))::text FROM pg_inherits
               WHERE inhparent = 'pixel_event'::regclass) AS bytes`,
      [acknowledged],
    );
    const counts = rows[0];
    const stored = counts?.stored ?? 0;
    return {
      seconds: measured.seconds,
      eventsPerSec: Math.round(measuredEvents / measured.seconds),
      reqPerSec: Math.round(measured.requests / measured.seconds),
      p50Ms: measured.latencyP50Ms,
      p99Ms: measured.latencyP99Ms,
      acknowledgedEvents: acknowledged.length,
      storedEvents: stored,
      lost: acknowledged.length - (counts?.found ?? 0),
      doubled: (counts?.copies ?? 0) - (counts?.found ?? 0),
      refusedRequests: warmUp.refused + measured.refused,
      stitchedBrowsers: counts?.stitched ?? 0,
      customerEvents: counts?.customer_events ?? 0,
      mbPerMillionEvents:
        stored > 0 ? Math.round((Number(counts?.bytes ?? 0) / stored) * (1e6 / 2 ** 20)) : 0,
      ...cpuUs,
      loadAverage1m: Math.round(loadAverage1m * 10) / 10,
    };
  } finally {
    if (server) await stop(server);
    await db.drop();
  }
}

/** CPU used from now on by the server process, the database sessions and this process. */
function cpuCounter(serverPid: number, databasePids: number[]) {
  const server = processTreeCpuMs([serverPid]);
  const database = processTreeCpuMs(databasePids);
  const load = process.cpuUsage();
  const per = (start: number | undefined, end: number | undefined, events: number) =>
    start === undefined || end === undefined || events === 0
      ? undefined
      : Math.round(((end - start) * 1000) / events);
  return {
    usPer(events: number) {
      const { user, system } = process.cpuUsage(load);
      return {
        serverCpuUsPerEvent: per(server, processTreeCpuMs([serverPid]), events),
        databaseCpuUsPerEvent: per(database, processTreeCpuMs(databasePids), events),
        loadCpuUsPerEvent: Math.round((user + system) / Math.max(1, events)),
      };
    },
  };
}

/** The pixel ingest benchmark as `npm run bench` prints it; `smoke` runs seconds, not tens. */
export async function printPixelIngestBenchmark(smoke: boolean): Promise<void> {
  const figures = await benchPixelIngest({
    seconds: smoke ? 3 : 30,
    warmUpSeconds: smoke ? 1 : 5,
  });
  console.log(
    `web pixel ingest, ${CONNECTIONS} connections as fast as answered, batches of 1-10 events ` +
      `(target: >= 2,000 events/s sustained, p99 < 50 ms, 0 lost; lost = in a 2xx batch but ` +
      `not stored; storage per million events of pixel_event's partitions, indexes included)`,
  );
  console.table([figures]);
}

const isMain =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(fileURLToPath(import.meta.url));
if (isMain) {
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    console.log(`skipping benchmark: ${unavailable}`);
  } else {
    await printPixelIngestBenchmark(process.argv.includes("--smoke"));
  }
  process.exit(0);
}
