/**
 * The builder's live preview: how many customers a rule matches now and a few of them, straight
 * from the tables (no membership needed), so the merchant sees the effect as they type.
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { audienceQuery } from "./audience-sql";
import type { SegmentExpression } from "./language";

export interface AudiencePreview {
  count: number;
  /** Null names where Shopify has neither a first nor a last name (the page words it). */
  sample: Array<{ customerId: string; name: string | null; email: string | null }>;
}

const SAMPLE_SIZE = 5;

/**
 * One pass over the matching customers gives both the count and the sample: each match carries
 * the total (a window count), the five with the highest predicted value are kept, and only those
 * five are joined back for their names. A separate count and sample each joined every customer
 * to their metrics, twice the work for the same answer.
 *
 * The matches reach the window through a Gather, so both tables are scanned and joined by
 * parallel workers; at the default parallel_tuple_cost (0.1 a row) the planner prices sending
 * tens of thousands of narrow rows above a serial plan and stays on one core. JIT is off: past
 * about a million customers the plan's cost crosses jit_above_cost, and compiling it (measured
 * at 240 ms, forced on at 200k customers) would be most of what the merchant waits for.
 */
export async function previewAudience(
  sql: SqlClient,
  shopId: number,
  ast: SegmentExpression,
): Promise<AudiencePreview> {
  const audience = audienceQuery(shopId, ast);
  const { rows } = await sql.transaction(async (tx) => {
    await tx.exec("SET LOCAL parallel_tuple_cost = 0.01; SET LOCAL jit = off");
    return tx.query<{
      count: number;
      id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
    }>(
      `SELECT top.count, c.id::text, c.first_name, c.last_name, c.email
       FROM (SELECT matched.id, matched.predicted_clv, matched.count
             FROM (SELECT c.id, m.predicted_clv, count(*) OVER ()::int AS count
                   ${audience.from}) matched
             ORDER BY matched.predicted_clv DESC NULLS LAST, matched.id
             LIMIT ${SAMPLE_SIZE}) top
       JOIN customer c ON c.shop_id = $1 AND c.id = top.id
       ORDER BY top.predicted_clv DESC NULLS LAST, top.id`,
      audience.params,
    );
  });
  return {
    // No match, no row: the count is then zero.
    count: rows[0]?.count ?? 0,
    sample: rows.map((row) => ({
      customerId: row.id,
      name: displayName(row.first_name, row.last_name),
      email: row.email,
    })),
  };
}
