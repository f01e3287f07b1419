/**
 * Serializes records for `json_to_recordset`: only the named fields of each record, bigints as
 * exact strings, dates as ISO.
 */
export function recordsJson(records: readonly unknown[], fields: ReadonlySet<string>): string {
  return JSON.stringify(records, function (this: unknown, key: string, value: unknown) {
    if (typeof value === "bigint") return value.toString();
    // A record's own keys (its holder is not the batch array, nor a field's array value):
    // fields the statement does not read (nested lines, refunds) are left out.
    if (key !== "" && !Array.isArray(this) && !fields.has(key)) return undefined;
    return value;
  });
}

/**
 * Keeps, per id, the record with the newest `updatedAt`. One INSERT ... ON CONFLICT cannot
 * touch the same row twice, and a batch can hold several versions of one resource.
 */
export function newestPerId<T extends { id: bigint; updatedAt: Date }>(records: readonly T[]): T[] {
  const newest = new Map<bigint, T>();
  for (const record of records) {
    const current = newest.get(record.id);
    if (!current || record.updatedAt.getTime() >= current.updatedAt.getTime()) {
      newest.set(record.id, record);
    }
  }
  return [...newest.values()];
}
