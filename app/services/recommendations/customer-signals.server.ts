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
  | { customer_id: string; kind: "history"; product_id: string; at: string; stage: null }
  | { customer_id: string; kind: "stage"; product_id: null; at: null; stage: string };

export async function loadShopperSignals(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  anchorProductIds: readonly string[],
  neighbourSets: NeighbourSetReader = loadNeighbourSets,
): Promise<ShopperSignals> {
  const signals = await loadShoppersSignals(
    sql,
    shopId,
    [customerId],
    anchorProductIds,
    neighbourSets,
  );
  return signals.get(customerId.toString()) ?? { stage: "prospect", history: [], sets: new Map() };
}

/**
 * loadShopperSignals of many customers of one shop (a flow worker's batch), by customer id: one
 * statement, then one read of every set they need.
 */
export async function loadShoppersSignals(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
  anchorProductIds: readonly string[],
  neighbourSets: NeighbourSetReader = loadNeighbourSets,
): Promise<Map<string, ShopperSignals>> {
  const { rows } = await sql.query<SignalRow>(
    `SELECT c.id::text AS customer_id, 'history' AS kind, h.product_id, h.at, NULL::text AS stage
     FROM unnest($2::bigint[]) AS c(id)
     CROSS JOIN LATERAL (
       SELECT l.product_id::text AS product_id,
              to_char(o.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
       FROM "order" o
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
       WHERE o.shop_id = $1 AND o.customer_id = c.id
         AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
         AND NOT l.gift_card AND l.product_id IS NOT NULL
         AND l.quantity - l.refunded_quantity > 0
       ORDER BY o.processed_at DESC LIMIT $3
     ) h
     UNION ALL
     SELECT m.customer_id::text, 'stage', NULL, NULL, m.lifecycle_stage
     FROM customer_metrics m WHERE m.shop_id = $1 AND m.customer_id = ANY($2::bigint[])`,
    [shopId, customerIds.map(String), MAX_HISTORY_LINES],
  );
  const byCustomer = new Map(
    customerIds.map((id) => [id.toString(), { history: [] as HistoryEntry[], stage: "" }]),
  );
  for (const row of rows) {
    const shopper = byCustomer.get(row.customer_id);
    if (!shopper) continue;
    if (row.kind === "history") {
      shopper.history.push({ productId: row.product_id, at: new Date(row.at) });
    } else shopper.stage = row.stage;
  }
  const productsOf = (history: readonly HistoryEntry[]) => [
    ...new Set([...history.map((entry) => entry.productId), ...anchorProductIds]),
  ];
  const sets = await neighbourSets(sql, shopId, [
    ...new Set([...byCustomer.values()].flatMap(({ history }) => productsOf(history))),
  ]);
  return new Map(
    [...byCustomer].map(([customerId, { history, stage }]) => {
      // UNION ALL keeps no order across its branches, so the history is put back newest first.
      history.sort((a, b) => b.at.getTime() - a.at.getTime());
      const own = new Map(
        productsOf(history).flatMap((id) => {
          const set = sets.get(id);
          return set ? [[id, set] as const] : [];
        }),
      );
      return [customerId, { stage: asStage(stage), history, sets: own }];
    }),
  );
}

/** Metrics not computed yet (new install, brand-new customer): treat them as a prospect. */
function asStage(value: string | undefined): LifecycleStage {
  return (LIFECYCLE_STAGES as readonly string[]).includes(value ?? "")
    ? (value as LifecycleStage)
    : "prospect";
}
