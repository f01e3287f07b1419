/**
 * Keeps customer_metrics current:
 *  - recomputeShopMetrics: the whole shop, set-based, refitting the models (after the backfill,
 *    then once a day in the shop's time zone, since recency moves with the calendar);
 *  - refreshDirtyCustomers (refresh-dirty.server.ts): only customers the sync path marked, scored
 *    against the stored model (milliseconds per customer).
 * A recompute holds the shop's metrics lock (metrics-lock.server.ts) for its transaction; a
 * rescoring's write stores nothing while it does.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  loadShopHistories,
  type CustomerHistoryRow,
  type HistoryScope,
} from "./customer-history.server";
import { computeCohorts } from "./cohorts.server";
import { lockShop } from "./metrics-lock.server";
import { clearMetrics, writeScoredRows, WRITE_BATCH, type ScoredRow } from "./metrics-store.server";
import {
  calendarDay,
  summaryFromAggregates,
  type CustomerSummary,
} from "./models/customer-summary";
import { scoreCustomer, scoringContext, type ScoringContext } from "./score-customer";
import { loadShopAnalytics, saveShopModel } from "./shop-analytics-store.server";
import { fitShopModel } from "./shop-model";

/**
 * Work that must see a full recompute's new scores inside its transaction. Segment memberships
 * are kept this way by the segments capability, which builds on analytics (never the reverse);
 * after an incremental rescoring, AfterRescoring (refresh-dirty.server.ts) does the same.
 */
export type AfterScoring = (tx: SqlQueryable, shopId: number, at: Date) => Promise<unknown>;

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

/**
 * Scores `entries` and writes them, a batch at a time: the database stores one batch while the
 * next is scored, so the two processors work side by side. Returns the stage changes and the
 * time spent scoring.
 */
async function scoreAndInsert(
  tx: SqlQueryable,
  shopId: number,
  asOf: Date,
  entries: readonly SummarizedHistory[],
  context: ScoringContext,
): Promise<{ stageChanges: number; scoringMs: number }> {
  let stageChanges = 0;
  let scoringMs = 0;
  let writing: Promise<number> | undefined;
  for (let start = 0; start < entries.length; start += WRITE_BATCH) {
    const scoringStarted = performance.now();
    const rows = scoreRows(entries.slice(start, start + WRITE_BATCH), context);
    scoringMs += performance.now() - scoringStarted;
    // One statement in flight at a time: the connection runs them in order anyway.
    if (writing) stageChanges += await writing;
    writing = writeScoredRows(tx, shopId, asOf, rows);
  }
  if (writing) stageChanges += await writing;
  return { stageChanges, scoringMs };
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
    // holds keeps rescorings from storing anything meanwhile, so they still see one consistent
    // state.
    // The cohorts are stored last, so their query runs on while the models are fitted.
    const reader = sql.concurrentQueries ? sql : tx;
    const cohorts = computeCohorts(reader, scope);
    cohorts.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    const histories = await loadShopHistories(reader, scope);
    const loaded = performance.now();

    // The old rows go (the histories above read their stages) while the models are fitted.
    const cleared = clearMetrics(tx, shopId);
    cleared.catch(() => undefined); // awaited below, as above
    const today = calendarDay(asOf, shop.timeZone);
    const entries = summarize(histories, today);
    const model = fitShopModel(entries.map(({ summary }) => summary));
    const fitted = performance.now();
    await cleared;

    const context = scoringContext(model, shop.settings, asOf);
    const { stageChanges, scoringMs } = await scoreAndInsert(tx, shopId, asOf, entries, context);
    await options.afterScoring?.(tx, shopId, asOf);
    const written = performance.now();
    const total = Math.round(written - started);
    await saveShopModel(tx, shopId, {
      asOf,
      model,
      cohorts: await cohorts,
      customersCount: entries.length,
      recomputeMs: total,
    });
    const report: RecomputeReport = {
      customers: entries.length,
      stageChanges,
      bgnbdBasis: `${model.bgnbd.basis} (${model.bgnbd.reason})`,
      gammaGammaBasis: `${model.gammaGamma.basis} (${model.gammaGamma.reason})`,
      timingsMs: {
        load: Math.round(loaded - started),
        fit: Math.round(fitted - loaded),
        score: Math.round(scoringMs),
        write: Math.round(written - fitted - scoringMs),
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
