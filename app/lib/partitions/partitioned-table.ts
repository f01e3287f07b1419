import type { PartitionPeriod } from "./partition-periods";

/**
 * What a time-partitioned table declares about itself; `maintainPartitions` does the rest.
 * The table is created by its migration `PARTITION BY RANGE (<column>)`, with a DEFAULT
 * partition named `<table>_default` (so no insert fails for want of a partition) and, when it
 * carries rows over to "kept", a `<table>_kept` partition `FROM ('infinity') TO (MAXVALUE)`.
 */
export interface PartitionedTable {
  /** The partitioned (parent) table. */
  table: string;
  /** Its partition key: a date or timestamp column holding UTC. */
  column: string;
  /** How much time one partition holds. */
  period: PartitionPeriod;
  /** Partitions created ahead of the current one. */
  aheadPeriods: number;
  /**
   * Whole periods kept before the current one; older partitions are dropped. null keeps
   * every partition.
   */
  retainedPeriods: number | null;
  /**
   * Rows of a partition about to be dropped that must outlive it, tried in order (a row goes
   * with the first rule it matches): moved, with their other columns unchanged, into the kept
   * partition or the current period's. `where` is a fixed SQL condition on the table's columns.
   */
  carryOver?: readonly { where: string; to: "kept" | "current" }[];
}
