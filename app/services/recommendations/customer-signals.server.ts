/**
 * What a personal recommendation needs to know about a logged-in shopper: their purchase history
 * (same purchase semantics as the model build) and their lifecycle stage from customer_metrics.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { LIFECYCLE_STAGES } from "~/services/segments/language/fields";
import type { HistoryEntry, LifecycleStage } from "./model/types";

/** Recent lines only: older purchases barely move a decayed score and would slow the request. */
const MAX_HISTORY_LINES = 200;

export interface CustomerSignals {
  stage: LifecycleStage;
  history: HistoryEntry[];
}

export async function loadCustomerSignals(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
): Promise<CustomerSignals> {
  const [history, metrics] = await Promise.all([
    sql.query<{ product_id: string; at: string }>(
      `SELECT l.product_id::text AS product_id,
              to_char(o.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM "order" o
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
       WHERE o.shop_id = $1 AND o.customer_id = $2
         AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
         AND NOT l.gift_card AND l.product_id IS NOT NULL
         AND l.quantity - l.refunded_quantity > 0
       ORDER BY o.processed_at DESC LIMIT $3`,
      [shopId, customerId.toString(), MAX_HISTORY_LINES],
    ),
    sql.query<{ lifecycle_stage: string }>(
      `SELECT lifecycle_stage FROM customer_metrics WHERE shop_id = $1 AND customer_id = $2`,
      [shopId, customerId.toString()],
    ),
  ]);
  return {
    stage: asStage(metrics.rows[0]?.lifecycle_stage),
    history: history.rows.map((row) => ({ productId: row.product_id, at: new Date(row.at) })),
  };
}

/** Metrics not computed yet (new install, brand-new customer): treat them as a prospect. */
function asStage(value: string | undefined): LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value ?? "")
    ? (value as LifecycleStage)
    : "prospect";
}
