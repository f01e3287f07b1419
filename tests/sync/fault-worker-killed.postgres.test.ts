import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXED_END_DATE, generateStore } from "../devstore/generator/generate-store";
import { toShopifyJson } from "../devstore/shopify-json";
import { storeHistoryEvents } from "../devstore/store-history";
import { compareStoreWithDatabase } from "../devstore/store-vs-database";
import { npmRunEnv } from "../helpers/child-process-env";
import { REPO_ROOT } from "../helpers/shared-data";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { migratedTestDatabase } from "../helpers/test-database";

// A worker process killed with SIGKILL in the middle of a batch, then a new one started: the
// batch it held is taken over once its claim lock lapses, every acknowledged event is applied,
// and re-applying the interrupted batch changes nothing (the database ends equal to the store).
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`worker fault test skipped: ${unavailable}`);
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
const { sql, prisma } = await migratedTestDatabase();

afterAll(async () => {
  await sql.close();
  await scratch?.drop();
});

function startWorker(): ChildProcess {
  const env = npmRunEnv({
    DATABASE_URL: scratch?.url,
    INBOX_WORKERS: "1",
    INBOX_CLAIM_LOCK_SECONDS: "3",
    LOG_LEVEL: "error",
  });
  // One process (no tsx wrapper), so SIGKILL kills the worker itself.
  return spawn(
    path.join(REPO_ROOT, "node_modules/.bin/node"),
    ["--import", "tsx", "scripts/worker.ts"],
    {
      cwd: REPO_ROOT,
      env,
      stdio: "ignore",
    },
  );
}

const statusCounts = async () => {
  const { rows } = await sql.query<{ status: string; count: number }>(
    `SELECT status, count(*)::int AS count FROM webhook_inbox GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.count])) as Record<string, number>;
};

const until = async (condition: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe.runIf(scratch)("a worker killed mid-batch", () => {
  it("loses nothing and applies nothing twice once a new worker takes over", async () => {
    const data = generateStore({ seed: 909, orders: 3000, endDate: FIXED_END_DATE });
    const shop = await prisma.shop.create({
      data: { domain: data.shop.domain, state: "installed" },
    });
    const events = storeHistoryEvents(data);
    for (let start = 0; start < events.length; start += 1000) {
      const slice = events.slice(start, start + 1000);
      await sql.query(
        `INSERT INTO webhook_inbox (shop_id, shop_domain, topic, webhook_id, payload)
         SELECT $5, $1, t.topic, t.webhook_id, t.payload FROM unnest($2::text[], $3::text[], $4::text[])
           AS t(topic, webhook_id, payload)`,
        [
          data.shop.domain,
          slice.map((event) => event.topic),
          slice.map(() => randomUUID()),
          slice.map((event) => toShopifyJson(event.body)),
          shop.id,
        ],
      );
    }

    const first = startWorker();
    await until(async () => {
      const counts = await statusCounts();
      return (counts.done ?? 0) > 0 && (counts.processing ?? 0) > 0;
    }, 120_000);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const atKill = await statusCounts();
    expect(atKill.processing).toBeGreaterThan(0);

    const second = startWorker();
    try {
      await until(async () => (await statusCounts()).done === events.length, 180_000);
    } finally {
      second.kill("SIGTERM");
      await new Promise((resolve) => second.once("exit", resolve));
    }
    const { rows } = await sql.query<{ retried: number }>(
      `SELECT count(*)::int AS retried FROM webhook_inbox WHERE attempts > 1`,
    );
    expect(rows[0]?.retried).toBeGreaterThanOrEqual(atKill.processing ?? 0);
    const { differences } = await compareStoreWithDatabase(data, sql, shop.id);
    console.log(
      `worker killed with ${atKill.processing} events in flight and ${atKill.done} done of ${events.length};`,
      `${rows[0]?.retried} retried after takeover; ${differences.length} differences`,
    );
    expect(differences.slice(0, 20)).toEqual([]);
  }, 300_000);
});
