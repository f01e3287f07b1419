import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { loadBulkJsonl } from "../app/services/sync/bulk-jsonl-loader.server";
import { bulkJsonlLines } from "./lib/synthetic-orders";
import { scratchDatabase } from "./lib/postgres";

export interface BackfillFigures {
  customers: number;
  orders: number;
  orderLines: number;
  jsonlLines: number;
  seconds: number;
  linesPerSecond: number;
  peakRssMb: number;
}

/**
 * Backfill throughput: a bulk-operation JSONL result (customers, orders, ~2.5 line items per
 * order) served over HTTP from this process, streamed into real PostgreSQL by the app's
 * loader, as the backfill does with Shopify's result URL.
 */
export async function benchBackfill(customers: number, orders: number): Promise<BackfillFigures> {
  const db = await scratchDatabase();
  const server = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "application/jsonl" });
    // Served in 64 KB chunks, as a file download arrives, not one chunk per line.
    Readable.from(
      (async function* () {
        let chunk = "";
        for await (const line of bulkJsonlLines(customers, orders)) {
          chunk += `${line}\n`;
          if (chunk.length >= 65_536) {
            yield chunk;
            chunk = "";
          }
        }
        if (chunk) yield chunk;
      })(),
    ).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.jsonl`;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  try {
    const { rows } = await db.sql.query<{ id: number }>(
      `INSERT INTO shop (domain, updated_at) VALUES ('bench.myshopify.com', now()) RETURNING id`,
    );
    const shopId = rows[0]?.id ?? 0;
    const started = performance.now();
    const response = await fetch(url);
    if (!response.body) throw new Error("no body");
    const lines = createInterface({
      input: Readable.fromWeb(response.body as never),
      crlfDelay: Infinity,
    });
    const { linesCommitted } = await loadBulkJsonl(db.sql, shopId, lines);
    const seconds = (performance.now() - started) / 1000;
    const counts = await db.sql.query<{ customers: string; orders: string; lines: string }>(
      `SELECT (SELECT count(*) FROM customer)::text AS customers, (SELECT count(*) FROM "order")::text AS orders,
              (SELECT count(*) FROM order_line)::text AS lines`,
    );
    const count = counts.rows[0];
    return {
      customers: Number(count?.customers),
      orders: Number(count?.orders),
      orderLines: Number(count?.lines),
      jsonlLines: linesCommitted,
      seconds,
      linesPerSecond: Math.round(linesCommitted / seconds),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
    server.close();
    await db.drop();
  }
}
