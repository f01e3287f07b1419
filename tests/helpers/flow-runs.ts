import type { SqlQueryable } from "~/lib/database-adapter.server";

/** How many flow runs are in each status. */
export async function flowRunStatuses(sql: SqlQueryable): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM message_flow_run GROUP BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}
