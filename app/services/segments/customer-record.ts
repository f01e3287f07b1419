/**
 * A customer as the in-memory segment evaluator sees them: the segment fields' values, read
 * from a row keyed by their columns (a `customer` row joined to its `customer_metrics` row).
 */
import { SEGMENT_FIELDS, type CustomerRecord } from "./language";

/** The column a field reads, without its table alias (`m.net_revenue` -> `net_revenue`). */
const columnOf = (sql: string) => sql.split(".")[1] ?? "";

/** A `customer` row joined to its `customer_metrics` row (`c.*, m.*`) as evaluator input. */
export function customerRecord(row: Record<string, unknown>): CustomerRecord {
  const record: CustomerRecord = {};
  for (const field of SEGMENT_FIELDS) {
    const value = row[columnOf(field.sql)];
    record[field.name] =
      value === null || value === undefined
        ? null
        : field.type === "number" || field.type === "money"
          ? Number(value)
          : value;
  }
  return record;
}

/**
 * A JSON object of the fields read from the `customer c` row, by column, for customerRecord:
 * dates as UTC instants, so the evaluator reads them as the SQL compares them.
 */
export const CUSTOMER_FIELDS_JSON = `json_build_object(${SEGMENT_FIELDS.filter((field) =>
  field.sql.startsWith("c."),
)
  .map((field) => {
    const value =
      field.type === "date" ? `to_char(${field.sql}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : field.sql;
    return `'${columnOf(field.sql)}', ${value}`;
  })
  .join(", ")})`;
