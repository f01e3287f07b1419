/**
 * Keeps customer_metrics current:
 *  - recomputeShopMetrics: the whole shop, set-based, refitting the models (after the backfill,
 *    then once a day in the shop's time zone, since recency moves with the calendar);
 *  - refreshDirtyCustomers: only customers the sync path marked, scored against the stored model
 *    (milliseconds per customer).
 * Both hold a per-shop advisory lock for their transaction, so a refresh never interleaves with a
 * full recompute's read and write and overwrites newer numbers with older ones.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  loadCustomerHistories,
  loadShopHistories,
  type CustomerHistoryRow,
  type HistoryScope,
} from "./customer-history.server";
import { computeCohorts } from "./cohorts.server";
import { claimDirtyCustomers, shopsWithDirtyCustomers } from "./dirty-customers.server";
import {
  deleteOrphanMetrics,
  recordStageChanges,
  writeCustomerMetrics,
  type ScoredRow,
} from "./metrics-store.server";
import {
  calendarDay,
  summaryFromAggregates,
  type CustomerSummary,
} from "./models/customer-summary";
import { scoreCustomer, scoringContext, type ScoringContext } from "./score-customer";
import { loadShopAnalytics, saveShopModel } from "./shop-analytics-store.server";
import { fitShopModel } from "./shop-model";

/** Lock namespace for pg_advisory_xact_lock(namespace, shop id). */
const METRICS_LOCK = 7301;

async function lockShop(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock($1, $2)`, [METRICS_LOCK, shopId]);
}

/**
 * Work that must see new scores inside the scoring transaction. Segment memberships are kept
 * this way by the segments capability, which builds on analytics (never the reverse).
 */
export type AfterScoring = (
  tx: SqlQueryable,
  shopId: number,
  at: Date,
  customerIds?: readonly bigint[],
) => Promise<unknown>;

export interface RecomputeOptions {
  now?: Date;
  afterScoring?: AfterScoring;
}

export interface RecomputeReport {
  customers: number;
  stageChanges: number;
  bgnbdBasis: string;
  gammaGammaBasis: string;
  timingsMs: { load: number; fit: number; score: number; write: number; total: number };
}

interface SummarizedHistory {
  history: CustomerHistoryRow;
  summary: CustomerSummary;
}

/** Each history with its summary as of `today`, computed once for fitting and scoring. */
const summarize = (histories: readonly CustomerHistoryRow[], today: number): SummarizedHistory[] =>
  histories.map((history) => ({
    history,
    summary: summaryFromAggregates(history.aggregates, today),
  }));

function scoreRows(entries: readonly SummarizedHistory[], context: ScoringContext): ScoredRow[] {
  return entries.map(({ history, summary }) => ({
    customerId: history.customerId,
    previousStage: history.previousStage,
    score: scoreCustomer(summary, history.previousStage, context),
  }));
}

export async function recomputeShopMetrics(
  sql: SqlClient,
  shopId: number,
  options: RecomputeOptions = {},
): Promise<RecomputeReport> {
  const started = performance.now();
  const asOf = options.now ?? new Date();
  const report = await sql.transaction(async (tx) => {
    await lockShop(tx, shopId);
    const shop = await loadShopAnalytics(tx, shopId);
    if (!shop) throw new Error(`shop ${shopId} does not exist`);
    const scope: HistoryScope = { shopId, timeZone: shop.timeZone, asOf };
    // The reads run on their own connections when there are several: the lock this transaction
    // holds keeps refreshes from committing meanwhile, so they still see one consistent state.
    const reader = sql.concurrentQueries ? sql : tx;
    const [histories, cohorts] = await Promise.all([
      loadShopHistories(reader, scope),
      computeCohorts(reader, scope),
    ]);
    const loaded = performance.now();

    const today = calendarDay(asOf, shop.timeZone);
    const entries = summarize(histories, today);
    const model = fitShopModel(entries.map(({ summary }) => summary));
    const fitted = performance.now();
    const rows = scoreRows(entries, scoringContext(model, shop.settings, asOf));
    const scored = performance.now();

    await writeCustomerMetrics(tx, shopId, asOf, rows, "replace");
    const stageChanges = await recordStageChanges(tx, shopId, asOf, rows);
    await options.afterScoring?.(tx, shopId, asOf);
    const written = performance.now();
    const total = Math.round(written - started);
    await saveShopModel(tx, shopId, {
      asOf,
      model,
      cohorts,
      customersCount: rows.length,
      recomputeMs: total,
    });
    const report: RecomputeReport = {
      customers: rows.length,
      stageChanges,
      bgnbdBasis: `${model.bgnbd.basis} (${model.bgnbd.reason})`,
      gammaGammaBasis: `${model.gammaGamma.basis} (${model.gammaGamma.reason})`,
      timingsMs: {
        load: Math.round(loaded - started),
        fit: Math.round(fitted - loaded),
        score: Math.round(scored - fitted),
        write: Math.round(written - scored),
        total,
      },
    };
    logger.info({ shopId, ...report }, "customer metrics recomputed");
    return report;
  });
  // Replacing every row leaves as many dead ones behind; reclaim them now rather than let the
  // dashboard and list scan a table several times its size until autovacuum comes round.
  await sql.exec("VACUUM (ANALYZE) customer_metrics");
  return report;
}

/**
 * Rescores the listed customers against the stored model, inside the caller's transaction.
 * Returns false (writing nothing) when the shop has no model yet: its first full recompute will
 * cover them.
 */
export async function refreshCustomers(
  tx: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
  now: Date = new Date(),
  afterScoring?: AfterScoring,
): Promise<boolean> {
  const shop = await loadShopAnalytics(tx, shopId);
  if (!shop?.model) return false;
  const scope: HistoryScope = { shopId, timeZone: shop.timeZone, asOf: now };
  const histories = await loadCustomerHistories(tx, scope, customerIds);
  const entries = summarize(histories, calendarDay(now, shop.timeZone));
  const rows = scoreRows(entries, scoringContext(shop.model, shop.settings, now));
  await writeCustomerMetrics(tx, shopId, now, rows);
  await recordStageChanges(tx, shopId, now, rows);
  await afterScoring?.(tx, shopId, now, customerIds);
  // Customers missing from the histories were deleted: their metrics go too.
  if (histories.length < customerIds.length) await deleteOrphanMetrics(tx, shopId, customerIds);
  return true;
}

/** Drains the dirty set of every shop that has a model; returns the customers rescored. */
export async function refreshDirtyCustomers(
  sql: SqlClient,
  options: RecomputeOptions & { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let refreshed = 0;
  for (const shopId of await shopsWithDirtyCustomers(sql)) {
    for (;;) {
      const count = await sql.transaction(async (tx) => {
        await lockShop(tx, shopId);
        const ids = await claimDirtyCustomers(tx, shopId, batchSize);
        if (ids.length > 0)
          await refreshCustomers(tx, shopId, ids, options.now, options.afterScoring);
        return ids.length;
      });
      refreshed += count;
      if (count < batchSize) break;
    }
  }
  return refreshed;
}
