import { getDatabase } from "~/db.server";

/**
 * Every text value in every table (text, varchar, json, arrays), to prove a string is gone
 * from the whole database. `exceptTables` leaves some out.
 */
export async function databaseText(exceptTables: string[] = []): Promise<string> {
  const { sql } = getDatabase();
  const { rows: columns } = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')
       AND NOT (table_name = ANY($1::text[]))
       -- a partitioned table's rows are read through it, not again through each partition
       AND NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relname = table_name AND c.relispartition)`,
    [exceptTables],
  );
  const parts: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await sql.query<{ v: string | null }>(
      `SELECT "${column_name}"::text AS v FROM "${table_name}"`,
    );
    parts.push(...rows.map((row) => row.v ?? ""));
  }
  return parts.join("\n");
}
