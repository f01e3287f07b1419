/**
 * Incremental updates: rescores the customers the sync path marked, against the model the last
 * full recompute stored. Milliseconds per call, so every round trip counts: one statement claims
 * the customers and reads their purchase aggregates, the shop's model and what the step after
 * the rescoring needs (AfterRescoring), one writes their metrics and stage changes.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import {
  HISTORY_COLUMNS,
  purchaseSummarySql,
  toHistoryRow,
  type HistorySqlRow,
} from "./customer-history.server";
import { claimDirtyCustomersSql, shopsWithDirtyCustomers } from "./dirty-customers.server";
import { lockShopSql } from "./metrics-lock.server";
import { deleteOrphanMetrics, writeScoredRows } from "./metrics-store.server";
import { calendarDay, summaryFromAggregates } from "./models/customer-summary";
import { scoreCustomer, scoringContext } from "./score-customer";
import {
  SHOP_ANALYTICS_COLUMNS,
  shopAnalyticsFromRow,
  type ShopAnalyticsRow,
} from "./shop-analytics-store.server";

/** A claimed customer: `customer_id` (and the history) is null when the customer was deleted. */
type ClaimedRow = Omit<HistorySqlRow, "customer_id"> & {
  claimed_id: string;
  customer_id: string | null;
};

/**
 * What runs after each batch of rescored customers, inside its transaction (segment memberships,
 * which analytics knows nothing of). `readWithClaim` is a scalar SQL expression over the shop
 * `$1` that the claim's statement evaluates; `run` gets its value, so the step's own input costs
 * no round trip of its own.
 */
export interface AfterRescoring {
  /** Names the claim statement prepared with `readWithClaim` (one text per name). */
  name: string;
  readWithClaim: string;
  run(
    tx: SqlQueryable,
    shopId: number,
    at: Date,
    customerIds: readonly bigint[],
    read: unknown,
  ): Promise<unknown>;
}

/**
 * `$1` shop, `$2` as-of instant, `$3` batch size: claims the batch and returns one row, the
 * shop's stored analytics with the claimed customers' histories as a JSON array and the value
 * of `readAlong` (`read_along`).
 */
const claimAndReadSql = (readAlong: string) => `
  WITH claimed AS (${claimDirtyCustomersSql("$1", "$3")})
  SELECT ${SHOP_ANALYTICS_COLUMNS}, (${readAlong}) AS read_along,
    (SELECT json_agg(h) FROM (
       SELECT k.customer_id::text AS claimed_id, ${HISTORY_COLUMNS}
       FROM claimed k
       LEFT JOIN customer c ON c.shop_id = $1 AND c.id = k.customer_id AND c.deleted_at IS NULL
       LEFT JOIN LATERAL (${purchaseSummarySql({
         timeZone: "(SELECT iana_timezone FROM shop WHERE id = $1)",
         asOf: "$2",
         customerIds: "c.id",
       })}) s ON true
       LEFT JOIN customer_metrics m ON m.shop_id = $1 AND m.customer_id = c.id
     ) h) AS customers
  FROM shop s LEFT JOIN shop_analytics a ON a.shop_id = s.id WHERE s.id = $1`;

/**
 * Claims up to `batchSize` dirty customers of the shop and rescores them, inside the caller's
 * transaction (which holds the shop's lock). Returns how many were claimed.
 */
async function refreshBatch(
  tx: SqlQueryable,
  shopId: number,
  batchSize: number,
  now: Date,
  after: AfterRescoring | undefined,
): Promise<number> {
  const { rows } = await tx.query<
    ShopAnalyticsRow & { customers: ClaimedRow[] | null; read_along: unknown }
  >(claimAndReadSql(after?.readWithClaim ?? "NULL"), [shopId, now.toISOString(), batchSize], {
    preparedAs: after ? `analytics_claim_and_read_${after.name}` : "analytics_claim_and_read",
  });
  const claimed = rows[0]?.customers ?? [];
  const shopRow = rows[0];
  if (!shopRow || claimed.length === 0) return 0;
  const shop = shopAnalyticsFromRow(shopId, shopRow);
  // No model yet: the shop's first full recompute covers them.
  if (!shop.model) return claimed.length;
  const today = calendarDay(now, shop.timeZone);
  const context = scoringContext(shop.model, shop.settings, now);
  const scored = claimed.flatMap(({ customer_id, ...row }) => {
    if (customer_id === null) return [];
    const history = toHistoryRow({ ...row, customer_id });
    const summary = summaryFromAggregates(history.aggregates, today);
    return [
      {
        customerId: history.customerId,
        previousStage: history.previousStage,
        score: scoreCustomer(summary, history.previousStage, context),
      },
    ];
  });
  const claimedIds = claimed.map((row) => BigInt(row.claimed_id));
  await writeScoredRows(tx, shopId, now, scored);
  await after?.run(tx, shopId, now, claimedIds, shopRow.read_along);
  // Customers missing from the histories were deleted: their metrics go too.
  if (scored.length < claimed.length) await deleteOrphanMetrics(tx, shopId, claimedIds);
  return claimed.length;
}

/**
 * Drains the dirty set of every shop that has a model; returns the customers rescored.
 *
 * Each batch commits without waiting for its WAL flush (synchronous_commit off): the claim is in
 * the same transaction, so a commit lost in a crash leaves the customers dirty and the next pass
 * rescores them, as if the batch had never run. Its prepared statements use their generic plan
 * from the first call (their plans do not depend on the values), so only a connection's first
 * call plans them.
 */
export async function refreshDirtyCustomers(
  sql: SqlClient,
  options: { now?: Date; afterRescoring?: AfterRescoring; batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let refreshed = 0;
  for (const shopId of await shopsWithDirtyCustomers(sql)) {
    for (;;) {
      const count = await sql.transaction(async (tx) => {
        await tx.exec(
          `SET LOCAL synchronous_commit = off; SET LOCAL plan_cache_mode = force_generic_plan;
           ${lockShopSql(shopId)}`,
        );
        return refreshBatch(
          tx,
          shopId,
          batchSize,
          options.now ?? new Date(),
          options.afterRescoring,
        );
      });
      refreshed += count;
      if (count < batchSize) break;
    }
  }
  return refreshed;
}
