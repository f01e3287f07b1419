/**
 * What a personal recommendation needs about a logged-in shopper: their purchase history (same
 * purchase semantics as the model build) and their lifecycle stage from customer_metrics, in
 * one round trip, then the neighbour sets of the products they bought and of the request's
 * anchors through the caller's set reader. The storefront's reader serves most sets from its
 * per-build cache: they are the bulk of the bytes, and the same for every shopper.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import {
  loadNeighbourSets,
  type NeighbourSet,
  type NeighbourSetReader,
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
  | { kind: "history"; product_id: string; at: string; stage: null }
  | { kind: "stage"; product_id: null; at: null; stage: string };

export async function loadShopperSignals(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  anchorProductIds: readonly string[],
  neighbourSets: NeighbourSetReader = loadNeighbourSets,
): Promise<ShopperSignals> {
  const { rows } = await sql.query<SignalRow>(
    `(SELECT 'history' AS kind, l.product_id::text AS product_id,
             to_char(o.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, NULL::text AS stage
      FROM "order" o
      JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
      WHERE o.shop_id = $1 AND o.customer_id = $2
        AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
        AND NOT l.gift_card AND l.product_id IS NOT NULL
        AND l.quantity - l.refunded_quantity > 0
      ORDER BY o.processed_at DESC LIMIT $3)
     UNION ALL
     SELECT 'stage', NULL, NULL, m.lifecycle_stage
     FROM customer_metrics m WHERE m.shop_id = $1 AND m.customer_id = $2`,
    [shopId, customerId.toString(), MAX_HISTORY_LINES],
  );
  const history: HistoryEntry[] = [];
  let stage: string | undefined;
  for (const row of rows) {
    if (row.kind === "history") history.push({ productId: row.product_id, at: new Date(row.at) });
    else stage = row.stage;
  }
  // UNION ALL keeps no order across its branches, so the history is put back newest first.
  history.sort((a, b) => b.at.getTime() - a.at.getTime());
  const products = [...new Set([...history.map((entry) => entry.productId), ...anchorProductIds])];
  const sets = await neighbourSets(sql, shopId, products);
  return { stage: asStage(stage), history, sets };
}

/** Metrics not computed yet (new install, brand-new customer): treat them as a prospect. */
function asStage(value: string | undefined): LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value ?? "")
    ? (value as LifecycleStage)
    : "prospect";
}
