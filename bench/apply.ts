import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { orderWebhookBody } from "./lib/synthetic-orders";
import type { SqlQueryable } from "../app/lib/database-adapter.server";
import { scratchDatabase } from "./lib/postgres";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ApplyFigures {
  events: number;
  workers: number;
  seconds: number;
  eventsPerSecond: number;
  ordersStored: number;
  linesStored: number;
  /** Events whose order is not stored: goal 0. */
  lost: number;
  /** Applications beyond one per event (an event claimed and applied twice): goal 0. */
  doubled: number;
}

/**
 * Apply throughput: the inbox holds `events` orders/create deliveries; `workers` separate
 * worker processes drain it into real PostgreSQL. Timed from start to the last event applied.
 */
export async function benchApply(events: number, workers = 2): Promise<ApplyFigures> {
  const db = await scratchDatabase();
  try {
    await db.sql.query(
      `INSERT INTO shop (domain, updated_at) VALUES ('bench.myshopify.com', now())`,
    );
    await storeHistory(db.sql, events);
    await fillInbox(db.sql, events, (id) =>
      orderWebhookBody(id, 1 + (id % Math.max(1, events / 5)), 2 + (id % 2)),
    );
    const running = await startWorkers(db.url, workers);
    const started = performance.now();
    const outputs = await running.run();
    const applied = outputs.reduce((sum, output) => sum + output.applied, 0);
    // Each worker waits ~150 ms of idle polls before it exits; that tail is not work.
    const seconds = (performance.now() - started) / 1000 - 0.15;
    const { rows } = await db.sql.query<{ orders: string; lines: string; pending: string }>(
      `SELECT (SELECT count(*) FROM "order" WHERE id < $1)::text AS orders,
              (SELECT count(*) FROM order_line WHERE order_id < $1)::text AS lines,
              (SELECT count(*) FROM webhook_inbox WHERE status <> 'done')::text AS pending`,
      [HISTORY_IDS_FROM],
    );
    if (Number(rows[0]?.pending) !== 0) {
      throw new Error(`apply bench: ${rows[0]?.pending} events not done`);
    }
    const ordersStored = Number(rows[0]?.orders);
    return {
      events,
      workers,
      seconds,
      eventsPerSecond: Math.round(events / seconds),
      ordersStored,
      linesStored: Number(rows[0]?.lines),
      lost: events - ordersStored,
      doubled: Math.max(0, applied - events),
    };
  } finally {
    await db.drop();
  }
}

export interface ApplyScalingRow extends ApplyFigures {
  /** events/s over the 1-worker run's events/s. */
  vsOneWorker: number;
}

/** Apply throughput with each worker count in turn (each on its own scratch database). */
export async function benchApplyScaling(
  events: number,
  workerCounts: readonly number[] = [1, 2, 3],
): Promise<ApplyScalingRow[]> {
  const runs: ApplyFigures[] = [];
  for (const workers of workerCounts) runs.push(await benchApply(events, workers));
  const single = runs.find((run) => run.workers === 1)?.eventsPerSecond;
  return runs.map((run) => ({
    ...run,
    vsOneWorker: single ? Math.round((run.eventsPerSecond / single) * 100) / 100 : Number.NaN,
  }));
}

/** The stored history's order ids start above this; the replays' are below. */
const HISTORY_IDS_FROM = 1_000_000_000;

/**
 * The shop as webhooks find it in production: its backfilled history already stored and
 * analyzed. On a table PostgreSQL has never analyzed, the cached plan of the order_line →
 * order foreign-key check can probe by shop alone (a scan of the shop's orders per line) until
 * autovacuum first analyzes it: the state of a brand-new database (the apply bench measured
 * 258 events/s with 1 worker there), not the one webhooks are applied in.
 * Ids are odd and above HISTORY_IDS_FROM: the replay's rows are all new, and no history order
 * is a poison id (a multiple of 100) of the poison replay.
 */
async function storeHistory(sql: SqlQueryable, orders: number) {
  await sql.exec(`
    INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
       processed_at, created_at, shopify_updated_at)
    SELECT s.id, ${HISTORY_IDS_FROM} + 2 * g + 1, g % 1000 + 1, '#H' || g, 'EUR', 39.80, 39.80,
       '2024-01-01'::timestamp + g * interval '1 minute', '2024-01-01'::timestamp + g * interval '1 minute',
       '2024-01-01'::timestamp + g * interval '1 minute'
    FROM shop s, generate_series(1, ${orders}) g;
    INSERT INTO order_line (shop_id, id, order_id, product_id, title, quantity, price)
    SELECT o.shop_id, o.id * 10 + k, o.id, 1000 + k, 'Product', 1, 19.90
    FROM "order" o, generate_series(0, 1) k;
    ANALYZE;`);
}

/** Puts `events` orders/create deliveries (ids 1..events) into the inbox, 5,000 per statement. */
async function fillInbox(sql: SqlQueryable, events: number, body: (id: number) => string) {
  const chunk = 5000;
  for (let start = 1; start <= events; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, events - start + 1) }, (_, i) => start + i);
    await sql.query(
      `INSERT INTO webhook_inbox (shop_id, shop_domain, topic, webhook_id, payload)
       SELECT (SELECT id FROM shop WHERE domain = 'bench.myshopify.com'), 'bench.myshopify.com',
         'orders/create', 'bench-' || x.id, x.body
       FROM jsonb_to_recordset($1::jsonb) AS x(id int, body text)`,
      [JSON.stringify(ids.map((id) => ({ id, body: body(id) })))],
    );
  }
}

export interface PoisonReplayFigures {
  events: number;
  poison: number;
  seconds: number;
  applied: number;
  deadLettered: number;
  /** Good events whose order is missing or differs from its body, plus stored poison: goal 0. */
  diffsAmongTheRest: number;
}

/**
 * A replay where 1 in `every` events is poison, of four kinds in turn: a body that is not
 * JSON, an id beyond a signed 64-bit column, a malformed customer link, and an order the
 * database refuses (a CHECK constraint stands in for any row PostgreSQL will not store; it is
 * the kind only failure isolation can single out). Every other event must be stored exactly
 * as its body says, and only the poison dead-lettered.
 */
export async function benchPoisonReplay(
  events: number,
  every = 100,
  workers = 2,
): Promise<PoisonReplayFigures> {
  const db = await scratchDatabase();
  const customerOf = (id: number) => 1 + (id % Math.max(1, events / 5));
  const linesOf = (id: number) => 2 + (id % 2);
  const isPoison = (id: number) => id % every === 0;
  try {
    await db.sql.query(
      `INSERT INTO shop (domain, updated_at) VALUES ('bench.myshopify.com', now())`,
    );
    await storeHistory(db.sql, events);
    // DDL takes no parameters; `every` is a number.
    await db.sql.exec(
      `ALTER TABLE "order" ADD CONSTRAINT bench_refused
       CHECK (id % ${every} <> 0 OR (id / ${every}) % 4 <> 3)`,
    );
    await fillInbox(db.sql, events, (id) => {
      const body = orderWebhookBody(id, customerOf(id), linesOf(id));
      if (!isPoison(id)) return body;
      switch ((id / every) % 4) {
        case 0:
          return body.slice(0, body.length / 2);
        case 1:
          return body.replace(`"id":${id},`, '"id":18446744073709551615,');
        case 2:
          return body.replace(`"customer":{"id":${customerOf(id)}}`, '"customer":"guest"');
        default:
          return body;
      }
    });
    const running = await startWorkers(db.url, workers);
    const started = performance.now();
    const outputs = await running.run();
    const seconds = (performance.now() - started) / 1000 - 0.15;
    const { rows: stored } = await db.sql.query<{
      id: string;
      customer_id: string | null;
      total_price: string;
      lines: number;
    }>(
      `SELECT o.id::text, o.customer_id::text, o.total_price::text,
              (SELECT count(*)::int FROM order_line l WHERE l.shop_id = o.shop_id AND l.order_id = o.id) AS lines
       FROM "order" o WHERE o.id < $1`,
      [HISTORY_IDS_FROM],
    );
    const { rows: dead } = await db.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM webhook_inbox WHERE status = 'dead'`,
    );
    const byId = new Map(stored.map((row) => [Number(row.id), row]));
    let diffs = stored.filter((row) => isPoison(Number(row.id))).length;
    let poison = 0;
    for (let id = 1; id <= events; id++) {
      if (isPoison(id)) {
        poison += 1;
        continue;
      }
      const row = byId.get(id);
      const expected = JSON.parse(orderWebhookBody(id, customerOf(id), linesOf(id))) as {
        total_price: string;
      };
      if (
        !row ||
        row.customer_id !== String(customerOf(id)) ||
        Number(row.total_price) !== Number(expected.total_price) ||
        row.lines !== linesOf(id)
      ) {
        diffs += 1;
      }
    }
    return {
      events,
      poison,
      seconds,
      applied: outputs.reduce((sum, output) => sum + output.applied, 0),
      deadLettered: dead[0]?.count ?? 0,
      diffsAmongTheRest: diffs,
    };
  } finally {
    await db.drop();
  }
}

interface ApplyWorkers {
  /** Tells every worker to start draining; resolves with what each applied. */
  run(): Promise<Array<{ applied: number }>>;
}

/** Starts `count` worker processes and resolves once each is connected and waiting. */
async function startWorkers(url: string, count: number): Promise<ApplyWorkers> {
  const workers = await Promise.all(Array.from({ length: count }, () => startWorker(url)));
  return {
    run: () => Promise.all(workers.map((worker) => worker.run())),
  };
}

function startWorker(url: string): Promise<{ run(): Promise<{ applied: number }> }> {
  const child = spawn(
    path.join(here, "../node_modules/.bin/node"),
    ["--import", "tsx", path.join(here, "lib/apply-worker.ts"), url],
    {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, LOG_LEVEL: "warn" },
    },
  );
  let output = "";
  child.stdout.on("data", (data: Buffer) => (output += data.toString()));
  const exited = new Promise<{ applied: number }>((resolve, reject) => {
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`apply worker exited ${code}`));
      // Logs (warnings for dead letters) may come first; the report is the last line.
      resolve(JSON.parse(output.slice(output.lastIndexOf("\n") + 1)) as { applied: number });
    });
  });
  return new Promise((resolve, reject) => {
    exited.catch(reject);
    const onData = () => {
      if (!output.startsWith("ready\n")) return;
      child.stdout.off("data", onData);
      output = output.slice("ready\n".length);
      resolve({
        run: () => {
          child.stdin.end("go\n");
          return exited;
        },
      });
    };
    child.stdout.on("data", onData);
  });
}
