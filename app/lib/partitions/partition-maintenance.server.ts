import type { SqlClient, SqlQueryable } from "../database-adapter.server";
import { logger } from "../logger.server";
import type { PartitionedTable } from "./partitioned-table";
import { periodOfPartition, periodRange, periodStart, type PeriodRange } from "./partition-periods";

/**
 * Partition DDL waits at most this long for the table's lock (in-flight inserts and claims are
 * short), so it never queues the ingest behind a long reader; a run that times out fails and
 * the next one tries again, well before the partitions ahead run out.
 */
const LOCK_TIMEOUT = "2s";

export interface PartitionChanges {
  created: string[];
  dropped: string[];
}

/**
 * The scheduled upkeep of time-partitioned tables: every table gets the partitions for the
 * current period and `aheadPeriods` after it, and one for any period that reached its DEFAULT
 * partition; then the partitions older than `retainedPeriods` are dropped whole (their
 * carry-over rows moved first). Retention costs one DROP TABLE per period, whatever it held.
 */
export async function maintainPartitions(
  sql: SqlClient,
  tables: readonly PartitionedTable[],
  now = new Date(),
): Promise<PartitionChanges> {
  const changes: PartitionChanges = { created: [], dropped: [] };
  for (const table of tables) changes.created.push(...(await createDuePartitions(sql, table, now)));
  for (const table of tables)
    changes.dropped.push(...(await dropExpiredPartitions(sql, table, now)));
  if (changes.created.length > 0 || changes.dropped.length > 0) {
    logger.info(changes, "partitions maintained");
  }
  return changes;
}

/** The names of a partitioned table's partitions, in order. */
export async function listPartitions(sql: SqlQueryable, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
    [quoteName(table)],
  );
  return rows.map((row) => row.name);
}

/** The table's columns as a quoted list, in their order. */
async function columnList(sql: SqlQueryable, table: string): Promise<string[]> {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [quoteName(table)],
  );
  return rows.map((row) => quoteName(row.name));
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function createDuePartitions(sql: SqlClient, spec: PartitionedTable, now: Date) {
  const existing = new Set(await listPartitions(sql, spec.table));
  const due = new Map<string, PeriodRange>();
  for (let offset = 0; offset <= spec.aheadPeriods; offset++) {
    const range = periodRange(spec.table, spec.period, periodStart(spec.period, now, offset));
    due.set(range.name, range);
  }
  const { rows } = await sql.query<{ start: string }>(
    `SELECT DISTINCT to_char(date_trunc('${spec.period}', ${quoteName(spec.column)}::timestamp), 'YYYY-MM-DD') AS start
     FROM ${quoteName(`${spec.table}_default`)}`,
  );
  for (const { start } of rows) {
    const range = periodRange(spec.table, spec.period, new Date(`${start}T00:00:00Z`));
    due.set(range.name, range);
  }
  const created: string[] = [];
  for (const range of due.values()) {
    if (existing.has(range.name)) continue;
    await createPartition(sql, spec, range);
    created.push(range.name);
  }
  return created;
}

/**
 * Builds the partition as a table of its own, moves into it the rows of its period the DEFAULT
 * partition holds (the rows stored before the table was partitioned, or that came while the job
 * was stopped for longer than the periods ahead), and attaches it. The parent is locked only
 * as attaching needs (inserts and claims go on); the DEFAULT partition is locked whole, so no
 * row of the period can reach it between the move and the attach, which checks it holds none.
 */
async function createPartition(sql: SqlClient, spec: PartitionedTable, range: PeriodRange) {
  const table = quoteName(spec.table);
  const partition = quoteName(range.name);
  const key = quoteName(spec.column);
  await sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await tx.query(`LOCK TABLE ${table} IN SHARE UPDATE EXCLUSIVE MODE`);
    await tx.query(`LOCK TABLE ${quoteName(`${spec.table}_default`)} IN ACCESS EXCLUSIVE MODE`);
    await tx.query(`CREATE TABLE ${partition} (LIKE ${table} INCLUDING DEFAULTS)`);
    const columns = (await columnList(tx, spec.table)).join(", ");
    await tx.query(
      `WITH moved AS (
         DELETE FROM ${quoteName(`${spec.table}_default`)}
         WHERE ${key} >= '${range.from}' AND ${key} < '${range.to}' RETURNING ${columns})
       INSERT INTO ${partition} (${columns}) SELECT ${columns} FROM moved`,
    );
    await tx.query(
      `ALTER TABLE ${table} ATTACH PARTITION ${partition} FOR VALUES FROM ('${range.from}') TO ('${range.to}')`,
    );
  });
}

async function dropExpiredPartitions(sql: SqlClient, spec: PartitionedTable, now: Date) {
  if (spec.retainedPeriods === null) return [];
  const oldestKept = periodStart(spec.period, now, -spec.retainedPeriods);
  const expired = (await listPartitions(sql, spec.table))
    .map((name) => ({ name, start: periodOfPartition(spec.table, spec.period, name) }))
    .filter(({ start }) => start !== null && start < oldestKept)
    .map(({ name }) => name)
    .sort();
  for (const name of expired) await dropPartition(sql, spec, name, now);
  return expired;
}

/**
 * Moves the partition's carry-over rows (ids kept) and drops it, in one transaction. The whole
 * table is locked first: dropping a partition locks the parent anyway, and taking that lock
 * before the partition's keeps this from deadlocking with a claim, which locks them the other
 * way round. The lock is held for the carry-over copy (a few rows) and the drop.
 */
async function dropPartition(sql: SqlClient, spec: PartitionedTable, name: string, now: Date) {
  const table = quoteName(spec.table);
  const current = periodRange(spec.table, spec.period, now).from;
  await sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await tx.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const columns = await columnList(tx, spec.table);
    const key = quoteName(spec.column);
    const earlier: string[] = [];
    for (const rule of spec.carryOver ?? []) {
      const target = rule.to === "kept" ? "infinity" : current;
      const select = columns.map((column) => (column === key ? `'${target}'` : column)).join(", ");
      const notEarlier = earlier.map((where) => ` AND NOT coalesce((${where}), false)`).join("");
      await tx.query(
        `INSERT INTO ${table} (${columns.join(", ")})
         SELECT ${select} FROM ${quoteName(name)} WHERE (${rule.where})${notEarlier}
         ON CONFLICT DO NOTHING`,
      );
      earlier.push(rule.where);
    }
    await tx.query(`DROP TABLE ${quoteName(name)}`);
  });
}
