/** Serializes records for `json_to_recordset`: bigints as exact strings, dates as ISO. */
export function recordsJson(records: readonly unknown[]): string {
  return JSON.stringify(records, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
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
