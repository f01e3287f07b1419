import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { generateStore } from "../devstore/generator/generate-store";
import { startDevStoreServer, type DevStoreServer } from "../devstore/server";
import { signSessionToken } from "../devstore/signing";
import { storeHistoryEvents } from "../devstore/store-history";
import { compareStoreWithDatabase } from "../devstore/store-vs-database";
import { WebhookDelivery } from "../devstore/webhook-delivery";
import { subscriptionsFromAppToml } from "../devstore/webhook-subscriptions";
import { freePort } from "../e2e/helpers/demo-process";
import { spawnAppProcess } from "../helpers/app-process";
import { exchangeForOfflineToken, storeOfflineSession } from "../helpers/offline-session";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { migratedTestDatabase } from "../helpers/test-database";
import { requestBackfill } from "~/services/sync/backfill.server";
import { saveRule, setRuleStatus } from "~/services/winback/rule-store.server";

// Two web processes and three worker processes on one PostgreSQL database, with a shop's
// webhook history replayed through both web processes (10% delivered twice, shuffled), the
// shop's backfill and a win-back rule run at the same time. Nothing acknowledged is lost,
// nothing is applied twice (the database ends equal to the store, row for row), every
// customer gets one win-back discount at most, and each scheduled job ran at most once per due
// time among the three workers.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`many-process test skipped: ${unavailable}`);
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
const { sql, prisma } = await migratedTestDatabase();

const app = {
  apiKey: "many-processes-key",
  secret: "many-processes-secret",
  scopes:
    "read_customers,write_customers,read_orders,read_all_orders,read_products,write_discounts",
};
/** The runner's pass interval in the worker processes (the default): every-pass jobs' due time. */
const PASS_MS = 2000;
/** How long the processes keep running after the load, to count scheduled runs. */
const WINDOW_MS = 12_000;
const DAY = 86_400_000;
const children: ChildProcess[] = [];
let store: DevStoreServer | undefined;

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once("exit", resolve);
          child.kill("SIGTERM");
        }),
    ),
  );
  await store?.close();
  await sql.close();
  await scratch?.drop();
});

function start(script: string[], env: Record<string, string>): { output: () => string } {
  const child = spawnAppProcess({ databaseUrl: scratch?.url, app, args: script, env });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { output: () => output };
}

const phases: string[] = [];
const testStarted = Date.now();
const until = async (
  what: string,
  condition: () => Promise<boolean>,
  detail: () => string = () => "",
) => {
  const deadline = Date.now() + 120_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  phases.push(`${what} at ${((Date.now() - testStarted) / 1000).toFixed(1)} s`);
};

describe.runIf(scratch)("two web processes and three workers on one database", () => {
  it("lose nothing, apply nothing twice, and run each scheduled job once per due time", async () => {
    const data = generateStore({ seed: 2718, orders: 500, endDate: new Date(Date.now() - DAY) });
    const webPorts = [await freePort(), await freePort()];
    const webUrls = webPorts.map((port) => `http://127.0.0.1:${port}`);
    // The store's own webhooks (the win-back's tag changes) reach the first web process.
    store = await startDevStoreServer({ data, app, appUrl: webUrls[0] ?? "", autoDeliver: true });
    const shop = await prisma.shop.create({
      data: { domain: data.shop.domain, scopes: app.scopes, state: "installed" },
    });
    const accessToken = await exchangeForOfflineToken(
      store.tokens,
      app,
      await signSessionToken(
        { shop: data.shop.domain, apiKey: app.apiKey, userId: "1" },
        app.secret,
      ),
    );
    await storeOfflineSession({
      shop: data.shop.domain,
      scope: app.scopes,
      accessToken,
    });

    // The install's backfill is queued, as installing does: the first metrics wait for it.
    expect(await requestBackfill(sql, shop.id)).toBe(true);

    // GIVEN two web processes and three workers started at once
    const spawnedAt = Date.now();
    const webs = webPorts.map((port) =>
      start(["tests/process/web-process.ts"], { PORT: String(port) }),
    );
    const workers = [1, 2, 3].map(() =>
      start(["--import", "./tests/process/devstore-reroute.ts", "scripts/worker.ts"], {
        INBOX_WORKERS: "2",
        DEVSTORE_REROUTE: `${data.shop.domain}=${store?.url ?? ""}`,
        // Info, to see when each has started; the jobs log little at this level.
        LOG_LEVEL: "info",
      }),
    );
    await until("the web processes", async () =>
      webs.every((web) => web.output().includes("WEB_READY")),
    );
    // WHEN the shop's history is replayed through both web processes as soon as they answer,
    // while the workers start and run the backfill, and a win-back rule starts as soon as the
    // shop's metrics exist
    const acknowledged = new Set<string>();
    let next = 0;
    const replay = new WebhookDelivery({
      appUrl: "https://rekindle.test",
      shop: data.shop.domain,
      secret: app.secret,
      apiVersion: ADMIN_API_VERSION,
      routes: subscriptionsFromAppToml().routes,
      faults: { duplicateRate: 0.1, shuffle: true },
      seed: 31,
      concurrency: 16,
      send: async (request) => {
        const target = webUrls[next++ % webUrls.length] ?? "";
        const response = await fetch(`${target}${new URL(request.url).pathname}`, {
          method: "POST",
          headers: request.headers,
          body: await request.arrayBuffer(),
        });
        if (response.ok) acknowledged.add(request.headers.get("x-shopify-webhook-id") ?? "");
        return response;
      },
    });
    for (const event of storeHistoryEvents(data)) replay.enqueue(event.topic, event.body);
    const events = replay.pending;
    const readyAt = Date.now();
    const replayed = replay.flush();
    await until(
      "the workers",
      async () => workers.every((worker) => worker.output().includes("job worker started")),
      () => workers.map((worker) => worker.output().slice(-2000)).join("\n"),
    );
    const workersAt = Date.now();

    await until("the shop's metrics", async () => {
      const { rows } = await sql.query(`SELECT 1 FROM shop_analytics WHERE shop_id = $1`, [
        shop.id,
      ]);
      return rows.length > 0;
    });
    const rule = await saveRule(sql, shop.id, {
      name: "Lapsed 90 days",
      config: {
        trigger: { kind: "days_since_last_order", days: 90 },
        audience: "orders_count >= 3",
        holdoutPercent: 10,
        capCount: 2,
        capDays: 30,
        cooldownDays: 30,
        quietHours: { start: 0, end: 0 },
        actions: {
          discount: { valueType: "percentage", value: 15, expiresInDays: 14, prefix: "MISSYOU" },
          addTags: ["rekindle-winback"],
        },
      },
    });
    await setRuleStatus(sql, shop.id, rule.id, "active");
    const report = await replayed;
    phases.push(`replay sent at ${((Date.now() - testStarted) / 1000).toFixed(1)} s`);
    expect(report.failed).toEqual([]);
    await until("the win-back run", async () => {
      const { rows } = await sql.query<{ status: string }>(
        `SELECT status FROM winback_run WHERE rule_id = $1`,
        [rule.id.toString()],
      );
      return rows.length > 0 && rows.every((row) => row.status !== "executing");
    });
    await until("the inbox to drain", async () => {
      const { rows } = await sql.query(
        `SELECT 1 FROM webhook_inbox WHERE status <> 'done' AND status <> 'dead' LIMIT 1`,
      );
      return rows.length === 0 && store?.webhooks.pending === 0;
    });
    const loadSeconds = (Date.now() - readyAt) / 1000;

    console.log(`many processes: ${phases.join(", ")}`);
    // THEN every acknowledged delivery was applied
    const { rows: inbox } = await sql.query<{ webhook_id: string; status: string }>(
      `SELECT webhook_id, status FROM webhook_inbox WHERE shop_domain = $1`,
      [data.shop.domain],
    );
    const applied = new Set(
      inbox.filter((row) => row.status === "done").map((row) => row.webhook_id),
    );
    expect([...acknowledged].filter((id) => !applied.has(id))).toEqual([]);
    expect(inbox.filter((row) => row.status !== "done")).toEqual([]);
    // AND the database equals the store, row for row
    const { differences, counts } = await compareStoreWithDatabase(data, sql, shop.id);
    expect(differences.slice(0, 20)).toEqual([]);
    // AND each targeted customer got one discount, whichever worker ran the rule
    const { rows: targeted } = await sql.query<{ customer_id: string }>(
      `SELECT customer_id::text FROM winback_action WHERE rule_id = $1 AND kind = 'discount'
       AND status = 'done'`,
      [rule.id.toString()],
    );
    const { rows: actions } = await sql.query<{ kind: string; status: string; count: number }>(
      `SELECT kind, status, count(*)::int AS count FROM winback_action WHERE rule_id = $1
       GROUP BY kind, status ORDER BY kind, status`,
      [rule.id.toString()],
    );
    console.log(`many processes: win-back actions ${JSON.stringify(actions)}`);
    expect(targeted.length).toBeGreaterThan(0);
    const discountsPerCustomer = new Map<string, number>();
    for (const discount of store.store.discounts) {
      for (const customerId of discount.customerIds) {
        const key = customerId.toString();
        discountsPerCustomer.set(key, (discountsPerCustomer.get(key) ?? 0) + 1);
      }
    }
    expect([...discountsPerCustomer.values()].filter((count) => count > 1)).toEqual([]);
    expect(discountsPerCustomer.size).toBe(targeted.length);
    // AND each scheduled job ran once per due time among the three workers: over a quiet window
    // after the load, a job due every pass ran no more often than one process alone would run it
    const scheduledRuns = async () => {
      const { rows } = await sql.query<{ name: string; runs: number }>(
        `SELECT name, runs::int FROM scheduled_job ORDER BY name`,
      );
      return new Map(rows.map((row) => [row.name, row.runs]));
    };
    const before = await scheduledRuns();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const after = await scheduledRuns();
    expect([...after.keys()]).toEqual([
      "collection-members",
      "consent-push",
      "customer-metrics",
      "event-partitions",
      "message-flow-entries",
      "planner-statistics",
      "recommendation-models",
      "reconciliation-queue",
      "segment-tags",
      "winback-runs",
    ]);
    const inWindow = [...after].map(([name, runs]) => ({
      name,
      runs: runs - (before.get(name) ?? 0),
    }));
    const dueTimes = Math.floor(WINDOW_MS / PASS_MS) + 1;
    // (the hourly job ran before the window; the one due every minute runs once in it at most)
    const expected = (name: string) =>
      name === "event-partitions" ? 0 : name === "planner-statistics" ? 1 : dueTimes;
    expect(inWindow.filter((job) => job.runs > expected(job.name))).toEqual([]);
    // (and they did run: the workers were alive through the window)
    const everyPass = inWindow.filter((job) => expected(job.name) === dueTimes);
    expect(everyPass.filter((job) => job.runs === 0)).toEqual([]);

    console.log(
      `many processes: ${events} events (+${report.duplicates} duplicates) through 2 web processes,`,
      `backfill and a win-back run (${targeted.length} discounts) with 3 workers in ${loadSeconds.toFixed(1)} s`,
      `(web processes answering after ${((readyAt - spawnedAt) / 1000).toFixed(1)} s, all workers`,
      `started after ${((workersAt - spawnedAt) / 1000).toFixed(1)} s);`,
      `scheduled runs in ${WINDOW_MS / 1000} s: ${inWindow.map((job) => `${job.name}=${job.runs}`).join(" ")} (at most ${dueTimes});`,
      `compared ${JSON.stringify(counts)}; whole test ${((Date.now() - testStarted) / 1000).toFixed(1)} s; ${phases.join(", ")}`,
    );
  }, 240_000);
});
