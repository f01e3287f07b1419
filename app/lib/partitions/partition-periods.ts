/**
 * The time ranges of a partitioned table's partitions: a UTC day or a UTC month each, named
 * `<table>_p<YYYYMMDD>` or `<table>_p<YYYYMM>`. Pure, so the arithmetic is tested on its own.
 */

export type PartitionPeriod = "day" | "month";

/** A partition's range [from, to) as ISO dates (UTC midnight), and its table's name. */
export interface PeriodRange {
  name: string;
  from: string;
  to: string;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Start (UTC midnight) of the period `offset` periods after the one holding `at`. */
export function periodStart(period: PartitionPeriod, at: Date, offset = 0): Date {
  return period === "day"
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + offset))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** The partition of `table` holding the period that starts at or contains `at`. */
export function periodRange(table: string, period: PartitionPeriod, at: Date): PeriodRange {
  const from = periodStart(period, at);
  const digits = isoDate(from).replaceAll("-", "");
  return {
    name: `${table}_p${period === "day" ? digits : digits.slice(0, 6)}`,
    from: isoDate(from),
    to: isoDate(periodStart(period, from, 1)),
  };
}

/** The start of the period a partition name stands for, or null for another table's name. */
export function periodOfPartition(
  table: string,
  period: PartitionPeriod,
  name: string,
): Date | null {
  const digits = period === "day" ? 8 : 6;
  const match = new RegExp(`^${table}_p(\\d{${digits}})$`).exec(name);
  if (!match) return null;
  const text = match[1] ?? "";
  const start = new Date(
    Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8) || 1)),
  );
  return periodRange(table, period, start).name === name ? start : null;
}
