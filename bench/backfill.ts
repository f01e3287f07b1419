import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { textLines } from "../app/lib/text-lines";
import { loadBulkJsonl } from "../app/services/sync/bulk-jsonl-loader.server";
import { bulkJsonlLines } from "./lib/synthetic-orders";
import { databaseBackendCpu, databaseCpuBetween, scratchDatabase } from "./lib/postgres";
import { stop } from "./lib/server-process";

/**
 * Serves the file at argv[1] on a free port of 127.0.0.1 and prints the port. A process of its
 * own, as Shopify's storage is: the CPU it takes to send 1.5 GB is not the loader's.
 */
const FILE_SERVER = `
  const { createServer } = require("node:http");
  const { createReadStream } = require("node:fs");
  const server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/jsonl" });
    createReadStream(process.argv[1]).pipe(response);
  });
  server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;

/** The target: this many customers and orders loaded within these bounds. */
export const BACKFILL_TARGET = {
  customers: 200_000,
  orders: 1_000_000,
  seconds: 60,
  peakRssMb: 512,
} as const;

export interface BackfillFigures {
  customers: number;
  orders: number;
  orderLines: number;
  jsonlLines: number;
  fileMb: number;
  seconds: number;
  linesPerSecond: number;
  peakRssMb: number;
  /** CPU the loading process used: download, parse, validate, encode. */
  loaderCpuSeconds: number;
  /** CPU the database's processes for this load used (when the server runs on this machine). */
  databaseCpuSeconds: number;
  /** 1-minute load average when the load started: figures on a busy machine are slower. */
  loadAverage: number;
  /** Whether the run met the target; only judged at the target's sizes. */
  withinTarget: boolean | "smaller than the target's sizes";
}

/**
 * Backfill throughput: a bulk-operation JSONL result (customers, orders, ~2.5 line items per
 * order) served over HTTP, streamed into real PostgreSQL by the app's loader, as the backfill
 * does with Shopify's result URL. The file is written before the clock starts and served from
 * disk by another process, as Shopify serves it from storage: generating and serving it is not
 * the app's work, so neither its time nor its memory nor its CPU is counted.
 */
export async function benchBackfill(customers: number, orders: number): Promise<BackfillFigures> {
  const directory = await mkdtemp(join(tmpdir(), "rekindle-backfill-"));
  const file = join(directory, "result.jsonl");
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const line of bulkJsonlLines(customers, orders)) yield `${line}\n`;
      })(),
    ),
    createWriteStream(file),
  );
  const db = await scratchDatabase();
  const server = spawn(process.execPath, ["-e", FILE_SERVER, file], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [port] = (await once(server.stdout, "data")) as [Buffer];
  const url = `http://127.0.0.1:${port.toString().trim()}/result.jsonl`;
  globalThis.gc?.();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  try {
    const { rows } = await db.sql.query<{ id: number }>(
      `INSERT INTO shop (domain, updated_at) VALUES ('bench.myshopify.com', now()) RETURNING id`,
    );
    const shopId = rows[0]?.id ?? 0;
    const loadAverage = loadavg()[0] ?? 0;
    const databaseCpuBefore = await databaseBackendCpu(db.sql);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const response = await fetch(url);
    if (!response.body) throw new Error("no body");
    const { linesCommitted } = await loadBulkJsonl(db.sql, shopId, textLines(response.body));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const databaseCpuSeconds = databaseCpuBetween(
      databaseCpuBefore,
      await databaseBackendCpu(db.sql),
    );
    const counts = await db.sql.query<{ customers: string; orders: string; lines: string }>(
      `SELECT (SELECT count(*) FROM customer)::text AS customers, (SELECT count(*) FROM "order")::text AS orders,
              (SELECT count(*) FROM order_line)::text AS lines`,
    );
    const count = counts.rows[0];
    const peakRssMb = Math.round(peakRss / 1024 / 1024);
    const atTargetSize = customers >= BACKFILL_TARGET.customers && orders >= BACKFILL_TARGET.orders;
    return {
      customers: Number(count?.customers),
      orders: Number(count?.orders),
      orderLines: Number(count?.lines),
      jsonlLines: linesCommitted,
      fileMb: Math.round((await stat(file)).size / 1024 / 1024),
      seconds: Math.round(seconds * 10) / 10,
      linesPerSecond: Math.round(linesCommitted / seconds),
      peakRssMb,
      loaderCpuSeconds: Math.round((cpu.user + cpu.system) / 100_000) / 10,
      databaseCpuSeconds,
      loadAverage: Math.round(loadAverage * 10) / 10,
      withinTarget: atTargetSize
        ? seconds < BACKFILL_TARGET.seconds && peakRssMb < BACKFILL_TARGET.peakRssMb
        : "smaller than the target's sizes",
    };
  } finally {
    clearInterval(sampler);
    await stop(server);
    await db.drop();
    await rm(directory, { recursive: true, force: true });
  }
}

/** The backfill benchmark as `npm run bench` prints it: the target's sizes, or small ones. */
export async function printBackfillBenchmark(smoke: boolean): Promise<void> {
  const figures = await benchBackfill(
    smoke ? 2_000 : BACKFILL_TARGET.customers,
    smoke ? 10_000 : BACKFILL_TARGET.orders,
  );
  console.log(
    `backfill (target: ${BACKFILL_TARGET.orders.toLocaleString("en")} orders + ` +
      `${BACKFILL_TARGET.customers.toLocaleString("en")} customers in < ${BACKFILL_TARGET.seconds} s, ` +
      `peak RSS < ${BACKFILL_TARGET.peakRssMb} MB; streamed JSONL, COPY)`,
  );
  console.table([figures]);
}
