/**
 * Flow entries at scale: the five classic flows turned on in a shop of 200k customers, and the
 * runner's trigger job (enterDueCustomers) run until it enters nobody more. Each entry is a run
 * row and its first step's pg-boss job, queued in the same transaction. The data gives each
 * trigger its share of the 50k entries: new accounts (welcome), abandoned checkouts, paid orders
 * two weeks old (cross-sell), moves into at_risk (win-back) and overdue predictions. Prints the
 * time, the CPU split between this process and the database's backends, the peak RSS and the
 * machine's load average (the machine is shared). Target: < 30 s.
 *
 *   node --import tsx bench/flow-entries.ts [customers=200000] [entries=50000]
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { SqlClient } from "../app/lib/database-adapter.server";
// Not ./lib/postgres: it loads the test database helpers, which open the app's database on
// import, before DATABASE_URL could point it at the scratch database.
import { openScratchApp } from "./lib/scratch-app";

export interface FlowEntryFigures {
  customers: number;
  flows: number;
  entered: number;
  stepsQueued: number;
  passes: number;
  seconds: number;
  appCpuSeconds: number;
  dbCpuSeconds: number;
  peakRssMb: number;
  loadAverage: string;
}

/** Shares of the entries per trigger (they add up to 1). */
const SHARES = {
  welcome: 0.4,
  abandoned_checkout: 0.2,
  post_purchase: 0.2,
  winback: 0.1,
  predicted_overdue: 0.1,
} as const;

export async function benchFlowEntries(
  customers: number,
  entries: number,
): Promise<FlowEntryFigures> {
  const { database, drop } = await openScratchApp({ SCOPES: "read_orders" });
  try {
    const { sql } = database;
    const {
      rows: [shop],
    } = await sql.query<{ id: number }>(
      `INSERT INTO shop (domain, name, updated_at) VALUES ('bench-flows.myshopify.com', 'Bench', now())
       RETURNING id`,
    );
    const shopId = shop?.id ?? 0;
    const now = new Date();
    const activatedAt = new Date(now.getTime() - 30 * 86_400_000);
    await seedTriggers(sql, shopId, customers, entries);
    const { createFlowFromTemplate, setFlowActive } =
      await import("../app/services/flows/flow-store.server");
    for (const key of Object.keys(SHARES) as Array<keyof typeof SHARES>) {
      const flowId = await createFlowFromTemplate(sql, shopId, key);
      await setFlowActive(sql, shopId, flowId, true, activatedAt);
    }
    await sql.exec("VACUUM ANALYZE");
    const { openFlowQueue } = await import("../app/services/flows/flow-queue.server");
    const queue = await openFlowQueue(database.queueDatabase);
    const { enterDueCustomers } = await import("../app/services/flows/flow-triggers.server");
    const { databaseBackendCpu, databaseCpuBetween } = await import("./lib/postgres");

    const dbBefore = await databaseBackendCpu(sql);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let entered = 0;
    let passes = 0;
    let peakRss = process.memoryUsage.rss();
    for (;;) {
      const pass = await enterDueCustomers(
        sql,
        queue,
        () => true,
        () => now,
      );
      passes += 1;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (pass === 0) break;
      entered += pass;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const dbAfter = await databaseBackendCpu(sql);
    const {
      rows: [jobs],
    } = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'message-flow-step'`,
    );
    await queue.stop();
    await database.prisma.$disconnect();
    await sql.close();
    return {
      customers,
      flows: Object.keys(SHARES).length,
      entered,
      stepsQueued: jobs?.n ?? 0,
      passes,
      seconds: Number(seconds.toFixed(2)),
      appCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      dbCpuSeconds: databaseCpuBetween(dbBefore, dbAfter),
      peakRssMb: Math.round(peakRss / 1_048_576),
      loadAverage: loadavg()
        .map((value) => value.toFixed(2))
        .join(" "),
    };
  } finally {
    await drop();
  }
}

/**
 * `customers` customers, the first of them qualifying for one trigger each in SHARES' shares
 * of `entries`; the rest joined the shop before the flows were turned on and did nothing since.
 */
async function seedTriggers(
  sql: SqlClient,
  shopId: number,
  customers: number,
  entries: number,
): Promise<void> {
  const counts = Object.values(SHARES).map((share) => Math.round(share * entries));
  const [welcome = 0, checkouts = 0, orders = 0, stageMoves = 0, overdue = 0] = counts;
  let from = 1;
  const range = (size: number) => {
    const span = [from, from + size - 1] as const;
    from += size;
    return span;
  };
  const welcomed = range(welcome);
  const abandoned = range(checkouts);
  const bought = range(orders);
  const atRisk = range(stageMoves);
  const late = range(overdue);
  await sql.query(
    `INSERT INTO customer (shop_id, id, first_name, email, email_marketing, created_at,
       shopify_updated_at)
     SELECT $1, c, 'Customer ' || c, 'c' || c || '@bench.example', 'subscribed',
            CASE WHEN c BETWEEN $3 AND $4 THEN now() - interval '1 day'
                 ELSE now() - interval '400 days' END,
            now() - interval '1 day'
     FROM generate_series(1, $2::int) AS c`,
    [shopId, customers, welcomed[0], welcomed[1]],
  );
  await sql.query(
    `INSERT INTO checkout (shop_id, id, token, customer_id, currency, total_price, created_at,
       shopify_updated_at)
     SELECT $1, c, 'token-' || c, c, 'USD', 42, now() - interval '2 days', now() - interval '2 days'
     FROM generate_series($2::int, $3::int) AS c`,
    [shopId, abandoned[0], abandoned[1]],
  );
  await sql.query(
    `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
       financial_status, processed_at, created_at, shopify_updated_at)
     SELECT $1, c, c, '#' || c, 'USD', 42, 42, 'paid', now() - interval '20 days',
            now() - interval '20 days', now() - interval '20 days'
     FROM generate_series($2::int, $3::int) AS c`,
    [shopId, bought[0], bought[1]],
  );
  await sql.query(
    `INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
     SELECT $1, c, 'active', 'at_risk', now() - interval '1 day'
     FROM generate_series($2::int, $3::int) AS c`,
    [shopId, atRisk[0], atRisk[1]],
  );
  // Every customer has metrics (the overdue trigger's table), so that trigger reads them all.
  await sql.query(
    `INSERT INTO customer_metrics (shop_id, customer_id, orders_count, net_revenue,
       lifecycle_stage, prob_alive, predicted_next_order_at, computed_at)
     SELECT $1, c, 3, 90, 'loyal', CASE WHEN c BETWEEN $2 AND $3 THEN 0.4 ELSE 0.9 END,
            now() - interval '2 days', now()
     FROM generate_series(1, $4::int) AS c`,
    [shopId, late[0], late[1], customers],
  );
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const figures = await benchFlowEntries(
    Number(process.argv[2] ?? 200_000),
    Number(process.argv[3] ?? 50_000),
  );
  console.log(
    "flow entries: triggers of the five classic flows evaluated over every customer, each " +
      "entry's first step queued (target: 200k customers, 50k steps < 30 s)",
  );
  console.table([figures]);
  // The smoke run in CI fails on a harness that entered nobody, not on timing.
  if (figures.entered === 0 || figures.stepsQueued !== figures.entered) process.exitCode = 1;
  process.exit();
}
