/**
 * The incremental rescoring alone, to work on it: loads a generated shop, recomputes it, saves
 * the bench's segment, then times `samples` single-order updates each way (the metrics job's and
 * the inbox worker's, timeIncrementalUpdates) with every statement timed by the client and, for
 * the first few, explained on the server (EXPLAIN
 * (ANALYZE, BUFFERS) of the statement as prepared, inside a savepoint or a transaction rolled
 * back before the statement itself runs).
 *
 *   node --expose-gc --import tsx bench/analytics-only.ts [customers] [orders] [samples] [--keep NAME]
 *
 * `--keep NAME` loads the shop into the database NAME once and reuses it on later runs (migrations
 * applied as usual), so a change can be measured without the 30 s load; drop it by hand.
 */
import { execFileSync } from "node:child_process";
import pg from "pg";
import { applyMigrations } from "../app/lib/migrations.server";
import {
  poolSqlClient,
  type QueryOptions,
  type SqlClient,
  type SqlQueryable,
} from "../app/lib/database-adapter.server";
import { recomputeMetricsAndSegments } from "../app/services/segments/metrics-and-segments.server";
import { saveSegment } from "../app/services/segments/segment-store.server";
import { refreshSegmentMembers } from "../app/services/segments/memberships.server";
import { openScratchPool, POSTGRES_ADMIN_URL } from "../tests/helpers/scratch-postgres";
import { AS_OF, timeIncrementalUpdates } from "./analytics";
import { percentile, scratchDatabase } from "./lib/postgres";
import { loadGeneratedShop } from "./lib/shop-data";

const DOMAIN = "analytics-bench.myshopify.com";
const EXPLAINED_SAMPLES = 20;
/** The metrics job's way first: the later one runs on a table that has more dead rows. */
const WAYS = ["job", "inline"] as const;
const WAY_NAMES = {
  job: "the metrics job's way: the sync transaction marks; claim, then write",
  inline: "the inbox worker's way: the sync transaction marks, claims and reads; then write",
};

/** Client and server times of one statement kind, and one of its plans. */
interface StatementTimes {
  client: number[];
  execution: number[];
  planning: number[];
  plan?: string;
}

/** Statements EXPLAIN takes (not SET and the like). */
const EXPLAINABLE = /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE)\b/i;

/** Names a statement by its prepared name or its first words. */
function statementLabel(text: string, options?: QueryOptions): string {
  return options?.preparedAs ?? text.replace(/\s+/g, " ").trim().slice(0, 60);
}

/** A parameter as an SQL literal for EXECUTE (the prepared statement infers its type). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = Array.isArray(value)
    ? `{${value.map((item) => `"${String(item)}"`).join(",")}}`
    : String(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Wraps `sql` so every statement run inside its transactions is timed under its label, and
 * while `explaining()` says so, explained first; so are the prepared statements run outside
 * transactions (the rescoring's). Other statements outside transactions are timed only.
 */
function timedClient(sql: SqlClient, explaining: () => boolean) {
  const times = new Map<string, StatementTimes>();
  let roundTrips = 0;
  const entry = (label: string) => {
    let found = times.get(label);
    if (!found) times.set(label, (found = { client: [], execution: [], planning: [] }));
    return found;
  };
  async function explain(tx: SqlQueryable, label: string, text: string, params: unknown[]) {
    await tx.exec(`SAVEPOINT explained; PREPARE explained_statement AS ${text}`);
    const args = params.length > 0 ? `(${params.map(literal).join(", ")})` : "";
    const { rows } = await tx.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE explained_statement${args}`,
    );
    await tx.exec(`ROLLBACK TO SAVEPOINT explained; DEALLOCATE explained_statement`);
    const lines = rows.map((row) => row["QUERY PLAN"]);
    const number = (name: string) =>
      Number(lines.find((line) => line.startsWith(name))?.match(/([\d.]+) ms/)?.[1] ?? NaN);
    const times = entry(label);
    times.execution.push(number("Execution Time"));
    times.planning.push(number("Planning Time"));
    times.plan = lines.join("\n");
  }
  let statementsMs = 0;
  function timed(target: SqlQueryable, inTransaction: boolean): SqlQueryable {
    return {
      async query(text, params, options) {
        const label = statementLabel(text, options);
        if (explaining() && EXPLAINABLE.test(text) && (inTransaction || options?.preparedAs)) {
          // A prepared statement outside a transaction is explained in one of its own.
          if (inTransaction) await explain(target, label, text, params ?? []);
          else await sql.transaction((tx) => explain(tx, label, text, params ?? []));
        }
        const started = performance.now();
        const result = await target.query(text, params, options);
        statementsMs += performance.now() - started;
        entry(label).client.push(performance.now() - started);
        roundTrips += 1;
        return result;
      },
      async exec(text) {
        const started = performance.now();
        await target.exec(text);
        statementsMs += performance.now() - started;
        entry(statementLabel(text)).client.push(performance.now() - started);
        roundTrips += 1;
      },
    } as SqlQueryable;
  }
  const client: SqlClient = {
    ...sql,
    ...timed(sql, false),
    async transaction(work) {
      // BEGIN and COMMIT are a round trip each; they and the client's own work are what the
      // transaction's time has beyond its statements'.
      roundTrips += 2;
      const started = performance.now();
      const statementsBefore = statementsMs;
      const result = await sql.transaction((tx) => work({ ...tx, ...timed(tx, true) }));
      if (!explaining()) {
        entry("BEGIN, COMMIT and the client's work").client.push(
          performance.now() - started - (statementsMs - statementsBefore),
        );
      }
      return result;
    },
  };
  return { client, times, roundTrips: () => roundTrips };
}

async function keptDatabase(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
  if (exists.rows.length === 0) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = openScratchPool(url.toString(), 4);
  const sql = poolSqlClient(pool);
  await applyMigrations(sql);
  return { sql, drop: () => pool.end() };
}

const args = process.argv.slice(2);
const keepAt = args.indexOf("--keep");
const keep = keepAt >= 0 ? args.splice(keepAt, 2)[1] : undefined;
const customers = Number(args[0] ?? 200_000);
const targetOrders = Number(args[1] ?? 1_000_000);
const samples = Number(args[2] ?? 200);

const db = keep ? await keptDatabase(keep) : await scratchDatabase();
try {
  const existing = await db.sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    DOMAIN,
  ]);
  let shopId = existing.rows[0]?.id;
  if (shopId === undefined) {
    const loaded = await loadGeneratedShop(db.sql, {
      domain: DOMAIN,
      customers,
      targetOrders,
      asOf: AS_OF,
    });
    shopId = loaded.shopId;
    console.log(`loaded ${customers} customers in ${loaded.loadSeconds.toFixed(1)} s`);
    const started = performance.now();
    await recomputeMetricsAndSegments(db.sql, shopId, { now: AS_OF });
    console.log(`recomputed in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    // The full bench's segment, saved after the recompute as there.
    const segment = await saveSegment(db.sql, shopId, {
      name: "Lapsing repeat buyers",
      query: "lifecycle_stage IN ('lapsing', 'lost') AND orders_count >= 2",
    });
    await refreshSegmentMembers(db.sql, shopId, segment);
  }

  let explaining = true;
  const { client, times, roundTrips } = timedClient(db.sql, () => explaining);
  // The explained samples are warm-up too: each connection's first call prepares its statements.
  for (const way of WAYS) {
    for (let sample = 0; sample < EXPLAINED_SAMPLES; sample++) {
      await timeIncrementalUpdates(client, shopId, customers, 1, way);
    }
  }
  explaining = false;
  for (const [label, statement] of times) {
    if (statement.plan) console.log(`\n--- ${label}\n${statement.plan}`);
  }
  const ms = (values: number[], p: number) =>
    Number(
      percentile(
        [...values].sort((a, b) => a - b),
        p,
      ).toFixed(3),
    );
  for (const way of WAYS) {
    times.forEach((statement) => (statement.client.length = 0));
    const tripsBefore = roundTrips();
    const cpuBefore = process.cpuUsage();
    const measured = await timeIncrementalUpdates(client, shopId, customers, samples, way);
    const cpu = process.cpuUsage(cpuBefore);
    console.log(`\n${WAY_NAMES[way]}`);
    console.table(
      [...times]
        .filter(([, statement]) => statement.client.length > 0)
        .map(([label, statement]) => ({
          statement: label.slice(0, 50),
          calls: statement.client.length,
          clientP50: ms(statement.client, 50),
          clientP99: ms(statement.client, 99),
          serverExecP50: ms(statement.execution, 50),
          serverPlanP50: ms(statement.planning, 50),
        })),
    );
    console.log(
      `${samples} rescorings: p50 ${ms(measured.rescoring, 50)} ms, ` +
        `p99 ${ms(measured.rescoring, 99)} ms; apply p50 ${ms(measured.apply, 50)} ms, ` +
        `p99 ${ms(measured.apply, 99)} ms; order to metrics p50 ${ms(measured.endToEnd, 50)} ms, ` +
        `p99 ${ms(measured.endToEnd, 99)} ms; ` +
        `${((roundTrips() - tripsBefore) / samples).toFixed(1)} round trips per order; ` +
        `client CPU ${((cpu.user + cpu.system) / 1000 / samples).toFixed(3)} ms per order, ` +
        `${(measured.rescoringCpuMs / samples).toFixed(3)} ms of it rescoring`,
    );
  }
  console.log(`uptime: ${execFileSync("uptime").toString().trim()}`);
} finally {
  await db.drop();
}
// The structured logger's transport would keep the process alive.
process.exit(0);
