import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { orderWebhookBody } from "./lib/synthetic-orders";
import { scratchDatabase } from "./lib/postgres";

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ApplyFigures {
  events: number;
  workers: number;
  seconds: number;
  eventsPerSecond: number;
  ordersStored: number;
  linesStored: number;
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
    const chunk = 5000;
    for (let start = 1; start <= events; start += chunk) {
      const ids = Array.from({ length: Math.min(chunk, events - start + 1) }, (_, i) => start + i);
      await db.sql.query(
        `INSERT INTO webhook_inbox (shop_domain, topic, webhook_id, payload)
         SELECT 'bench.myshopify.com', 'orders/create', 'bench-' || x.id, x.body
         FROM jsonb_to_recordset($1::jsonb) AS x(id int, body text)`,
        [
          JSON.stringify(
            ids.map((id) => ({
              id,
              body: orderWebhookBody(id, 1 + (id % Math.max(1, events / 5)), 2 + (id % 2)),
            })),
          ),
        ],
      );
    }
    const started = performance.now();
    const outputs = await Promise.all(Array.from({ length: workers }, () => runWorker(db.url)));
    const applied = outputs.reduce((sum, output) => sum + output.applied, 0);
    // Each worker waits ~150 ms of idle polls before it exits; that tail is not work.
    const seconds = (performance.now() - started) / 1000 - 0.15;
    const { rows } = await db.sql.query<{ orders: string; lines: string; pending: string }>(
      `SELECT (SELECT count(*) FROM "order")::text AS orders, (SELECT count(*) FROM order_line)::text AS lines,
              (SELECT count(*) FROM webhook_inbox WHERE status <> 'done')::text AS pending`,
    );
    if (Number(rows[0]?.pending) !== 0 || applied !== events) {
      throw new Error(`apply bench: ${applied} applied, ${rows[0]?.pending} not done`);
    }
    return {
      events,
      workers,
      seconds,
      eventsPerSecond: Math.round(events / seconds),
      ordersStored: Number(rows[0]?.orders),
      linesStored: Number(rows[0]?.lines),
    };
  } finally {
    await db.drop();
  }
}

function runWorker(url: string): Promise<{ applied: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(here, "../node_modules/.bin/node"),
      ["--import", "tsx", path.join(here, "lib/apply-worker.ts"), url],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, LOG_LEVEL: "warn" },
      },
    );
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`apply worker exited ${code}`));
      resolve(JSON.parse(output) as { applied: number });
    });
  });
}
