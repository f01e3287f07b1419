/**
 * Why customers' steps failed, for the flow's page: per step of the flow's current version,
 * each stored reason (a message key and its values, which the page words) with how many
 * customers it stopped, most first.
 */
import { isMessage, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface StepFailure {
  stepIndex: number;
  reason: Message;
  customers: number;
}

/** Reasons shown per step: the commonest; the rest are rarer variants of the same trouble. */
const REASONS_PER_STEP = 3;

export async function flowStepFailures(
  sql: SqlQueryable,
  shopId: number,
  flowId: bigint,
): Promise<StepFailure[]> {
  const { rows } = await sql.query<{ step_index: number; error: unknown; customers: number }>(
    `SELECT step_index, error, customers FROM (
       SELECT st.step_index, st.error, count(*)::int AS customers,
              row_number() OVER (PARTITION BY st.step_index ORDER BY count(*) DESC) AS rank
       FROM message_flow_step st
       JOIN message_flow f ON f.shop_id = st.shop_id AND f.id = st.flow_id
       JOIN message_flow_run r ON r.shop_id = st.shop_id AND r.id = st.run_id
       WHERE st.shop_id = $1 AND st.flow_id = $2 AND st.status IN ('failed', 'uncertain')
         AND st.error IS NOT NULL AND r.version = f.current_version
       GROUP BY st.step_index, st.error) ranked
     WHERE rank <= $3
     ORDER BY step_index, customers DESC`,
    [shopId, flowId.toString(), REASONS_PER_STEP],
  );
  return rows.flatMap((row) =>
    isMessage(row.error)
      ? [{ stepIndex: row.step_index, reason: row.error, customers: row.customers }]
      : [],
  );
}
