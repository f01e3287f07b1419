import { copyRows } from "~/lib/copy-text";
import type { SqlTransaction } from "~/lib/database-adapter.server";
import { recordsJson } from "./record-json";

/** What a set-based writer reads of each record: its fields, in order, with their SQL types. */
export interface BatchColumns<R> {
  /** Names the staging table of the COPY source: `staged_<name>`. */
  name: string;
  columns: ReadonlyArray<readonly [field: keyof R & string, type: string]>;
}

export function batchColumns<R>(
  name: string,
  columns: ReadonlyArray<readonly [field: keyof R & string, type: string]>,
): BatchColumns<R> {
  return { name, columns };
}

/** A batch as the relation `x` of a writer's statement. */
export interface BatchRelation {
  /** The FROM item, aliased `x`. */
  from: string;
  /** The parameters `from` uses, numbered from 2 ($1 is always the shop). */
  params: unknown[];
}

/**
 * How a writer's statement reads its batch. `jsonBatches` passes the rows as one JSON
 * parameter read by json_to_recordset: one round trip on any connection, right for webhook
 * batches. `stagedBatches` COPYs them into a temporary table first: for bulk loads, where the
 * server parses COPY text several times faster than JSON and it is a third of the bytes.
 * Either way the statement, and so its ordering and replay rules, is the same.
 */
export interface BatchSource {
  relation<R>(batch: BatchColumns<R>, records: readonly R[]): Promise<BatchRelation>;
}

const columnList = (batch: BatchColumns<never>) =>
  batch.columns.map(([field, type]) => `"${field}" ${type}`).join(", ");

export const jsonBatches: BatchSource = {
  relation: async (batch, records) => ({
    from: `json_to_recordset($2::json) AS x(${columnList(batch)})`,
    params: [recordsJson(records, new Set(batch.columns.map(([field]) => field)))],
  }),
};

/**
 * Batches staged with COPY on the transaction's connection. The staging tables are temporary
 * (each connection has its own, and they never reach the WAL) and emptied at every commit.
 */
export function stagedBatches(tx: SqlTransaction): BatchSource {
  return {
    async relation(batch, records) {
      const table = `staged_${batch.name}`;
      // Empty at the start of every transaction; the DELETE is for a transaction that stages
      // the same kind of rows twice (cheaper than TRUNCATE, which makes a new file each time).
      await tx.exec(
        `CREATE TEMP TABLE IF NOT EXISTS ${table} (${columnList(batch)}) ON COMMIT DELETE ROWS;
         DELETE FROM ${table}`,
      );
      await tx.copyFrom(
        table,
        copyRows(
          records,
          batch.columns.map(([field]) => field),
        ),
      );
      return { from: `${table} AS x`, params: [] };
    },
  };
}
