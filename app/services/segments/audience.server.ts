/**
 * The builder's live preview: how many customers a rule matches now and a few of them, straight
 * from the tables (no membership needed), so the merchant sees the effect as they type.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { audienceQuery } from "./audience-sql";
import type { SegmentExpression } from "./language";

export interface AudiencePreview {
  count: number;
  sample: Array<{ customerId: string; name: string; email: string | null }>;
}

const SAMPLE_SIZE = 5;

export async function previewAudience(
  sql: SqlQueryable,
  shopId: number,
  ast: SegmentExpression,
): Promise<AudiencePreview> {
  const audience = audienceQuery(shopId, ast);
  const [count, sample] = await Promise.all([
    sql.query<{ count: number }>(`SELECT count(*)::int AS count ${audience.from}`, audience.params),
    sql.query<{
      id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
    }>(
      `SELECT c.id::text, c.first_name, c.last_name, c.email ${audience.from}
       ORDER BY m.predicted_clv DESC NULLS LAST, c.id LIMIT ${SAMPLE_SIZE}`,
      audience.params,
    ),
  ]);
  return {
    count: count.rows[0]?.count ?? 0,
    sample: sample.rows.map((row) => ({
      customerId: row.id,
      name: displayName(row.first_name, row.last_name) ?? "(no name)",
      email: row.email,
    })),
  };
}
