import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { orderWebhookBody } from "./lib/synthetic-orders";
import { scratchDatabase } from "./lib/postgres";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECRET = "bench-secret";

export interface IngestFigures {
  targetRate: number;
  seconds: number;
  sent: number;
  acknowledged: number;
  errors: number;
  stored: number;
  lost: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * Webhook ingest under load: the production build of the app on real PostgreSQL, signed
 * orders/create deliveries at a fixed rate from autocannon in this (separate) process.
 * Every acknowledged delivery must be in the inbox afterwards.
 */
const WARM_UP_SECONDS = 5;

export async function benchIngest(rate: number, seconds: number): Promise<IngestFigures> {
  // Always from the current sources: a stale build/ would measure old code.
  const build = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "ignore" });
  if (build.status !== 0) throw new Error("build failed");
  const db = await scratchDatabase();
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  // node with the tsx loader in one process (no npx/tsx wrappers), so stopping it stops it.
  const server = spawn(
    path.join(root, "node_modules/.bin/node"),
    ["--import", "tsx", "scripts/server.ts"],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: db.url,
        WORKERS_IN_PROCESS: "false",
        PORT: String(port),
        LOG_LEVEL: "warn",
        SHOPIFY_API_KEY: "bench-key",
        SHOPIFY_API_SECRET: SECRET,
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        SCOPES: "read_orders",
      },
    },
  );
  try {
    await waitForServer(`http://127.0.0.1:${port}/`, server);
    const body = orderWebhookBody(1, 1, 3);
    const hmac = createHmac("sha256", SECRET).update(body).digest("base64");
    const load = (duration: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}/webhooks/orders`,
        method: "POST",
        connections: 32,
        overallRate: rate,
        duration,
        body,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": "orders/create",
          "x-shopify-hmac-sha256": hmac,
          "x-shopify-shop-domain": "bench.myshopify.com",
          "x-shopify-api-version": "2026-10",
        },
        // The HMAC covers the body only, so each delivery can carry its own webhook id.
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, "x-shopify-webhook-id": randomUUID() },
            }),
          },
        ],
      });
    // A server that has been up for a while: the first seconds (JIT compilation, connection
    // pool filling) are run at the same rate but not measured; their deliveries count as stored.
    const warmUp = await load(WARM_UP_SECONDS);
    const result = await load(seconds);
    const { rows } = await db.sql.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM webhook_inbox`,
    );
    const stored = Number(rows[0]?.n) - warmUp["2xx"];
    return {
      targetRate: rate,
      seconds,
      sent: result.requests.sent,
      acknowledged: result["2xx"],
      errors: result.errors + result.non2xx + result.timeouts,
      stored,
      lost: Math.max(0, result["2xx"] - stored),
      requestsPerSecond: Math.round(result.requests.average),
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await db.drop();
  }
}

async function waitForServer(url: string, child: ChildProcess) {
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null) throw new Error(`app server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error("app server did not start");
}
