/**
 * What a personal recommendation needs about a logged-in shopper, in one round trip: their
 * purchase history (same purchase semantics as the model build), their lifecycle stage from
 * customer_metrics, and the stored neighbour sets of the products they bought and of the
 * request's anchors (viewed or carted products). One statement instead of three in a row is
 * what keeps the personal answer inside the proxy's latency budget.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import {
  NEIGHBOUR_SET_COLUMNS,
  neighbourSetsOf,
  productIdsOf,
  type NeighbourSet,
  type NeighbourSetRow,
} from "./model-reader.server";
import type { HistoryEntry, LifecycleStage } from "./model/types";

/** Recent lines only: older purchases barely move a decayed score and would slow the request. */
const MAX_HISTORY_LINES = 200;

export interface ShopperSignals {
  stage: LifecycleStage;
  /** Newest first. */
  history: HistoryEntry[];
  /** By product id: the history's products and the anchors that have a stored set. */
  sets: Map<string, NeighbourSet>;
}

type SignalRow =
  | ({ kind: "set"; at: null; stage: null } & NeighbourSetRow)
  | { kind: "history"; product_id: string; at: string; stage: null }
  | { kind: "stage"; product_id: null; at: null; stage: string };

export async function loadShopperSignals(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  anchorProductIds: readonly string[],
): Promise<ShopperSignals> {
  const { rows } = await sql.query<SignalRow>(
    `WITH history AS (
       SELECT l.product_id, o.processed_at
       FROM "order" o
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
       WHERE o.shop_id = $1 AND o.customer_id = $2
         AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
         AND NOT l.gift_card AND l.product_id IS NOT NULL
         AND l.quantity - l.refunded_quantity > 0
       ORDER BY o.processed_at DESC LIMIT $3
     )
     SELECT 'history' AS kind, h.product_id::text AS product_id, NULL::text[] AS neighbour_ids,
            NULL::float8[] AS scores, NULL::text[] AS ease_ids, NULL::float8[] AS ease_scores,
            NULL::float8 AS repurchase_rate, NULL::float8 AS repurchase_days,
            to_char(h.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, NULL::text AS stage
     FROM history h
     UNION ALL
     SELECT 'set', ${NEIGHBOUR_SET_COLUMNS}, NULL, NULL
     FROM recommendation_set s
     WHERE s.shop_id = $1
       AND s.product_id IN (SELECT product_id FROM history UNION SELECT unnest($4::bigint[]))
     UNION ALL
     SELECT 'stage', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, m.lifecycle_stage
     FROM customer_metrics m WHERE m.shop_id = $1 AND m.customer_id = $2`,
    [shopId, customerId.toString(), MAX_HISTORY_LINES, productIdsOf(anchorProductIds)],
  );
  const history: HistoryEntry[] = [];
  const setRows: NeighbourSetRow[] = [];
  let stage: string | undefined;
  for (const row of rows) {
    if (row.kind === "history") history.push({ productId: row.product_id, at: new Date(row.at) });
    else if (row.kind === "set") setRows.push(row);
    else stage = row.stage;
  }
  // UNION ALL keeps no order across its branches, so the history is put back newest first.
  history.sort((a, b) => b.at.getTime() - a.at.getTime());
  return { stage: asStage(stage), history, sets: neighbourSetsOf(setRows) };
}

/** Metrics not computed yet (new install, brand-new customer): treat them as a prospect. */
function asStage(value: string | undefined): LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value ?? "")
    ? (value as LifecycleStage)
    : "prospect";
}
