/**
 * Incremental updates: rescores the customers the sync path marked, against the model the last
 * full recompute stored. Milliseconds per call, so every round trip counts: a batch is two
 * statements and no transaction. The first picks the shop, leases its oldest marks and reads the
 * claimed customers' purchase aggregates, the shop's model and what the step after the rescoring
 * needs (AfterRescoring); the scores and that step's changes are computed here; the second writes
 * them all and clears the marks (rescoringWriteSql). Both are prepared with fixed texts, so
 * neither is planned again on a connection that ran it before, and both commit without waiting
 * for the WAL flush (ASYNC_COMMIT): a claim lost in a crash leaves its marks as they were, a lost
 * write leaves them to be claimed again when the lease runs out.
 *
 * The sync path needs no claim of its own: the marking in its transaction claims and reads as
 * well (markAndClaimCustomers), so the customers an applied webhook changed are rescored by the
 * write alone, one round trip after its commit. The metrics job claims what is left: marks made
 * before the shop had a model, by the bulk loader, or whose rescoring was lost.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { ASYNC_COMMIT } from "./async-commit";
import {
  HISTORY_COLUMNS,
  purchaseSummarySql,
  toHistoryRow,
  type HistorySqlRow,
} from "./customer-history.server";
import { claimDirtyCustomersSql, markAndClaimCustomersSql } from "./dirty-customers.server";
import {
  rescoringWriteSql,
  rowValues,
  valuesByColumn,
  type RescoringWrite,
} from "./metrics-store.server";
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
  marked_at: string;
  metrics_version: string | null;
  read: unknown;
};

/**
 * The step after the rescoring (segment memberships, which analytics knows nothing of), folded
 * into the rescoring's two statements so it costs no round trip of its own.
 */
export interface AfterRescoring {
  /** Names the statements prepared with this step's SQL (one text per name). */
  name: string;
  /** A scalar SQL expression over the shop `shop` (an SQL expression), read once per batch. */
  readWithClaim(shop: string): string;
  /**
   * A scalar SQL expression read per claimed customer `customerId` (an SQL expression) of the
   * shop `shop`, over their `customer c` row (all NULL when the customer was deleted).
   */
  readPerCustomer(shop: string, customerId: string): string;
  /**
   * What to write for one customer, from the two reads, the instant the claim ran on the
   * database and the customer's metrics as stored (by column), null when they were deleted.
   */
  changes(
    shopRead: unknown,
    customerRead: unknown,
    readAt: Date,
    metrics: Record<string, unknown> | null,
  ): unknown;
  /**
   * WITH items (each starting with a comma) of the write statement over `rescored`
   * (`customer_id` bigint, `after` jsonb: what `changes` returned), `$1` the shop and `$2` the
   * instant.
   */
  writeWithRescoring: string;
}

/**
 * Over `claimCtes` (`dirty_shop` and `claimed`, as claimDirtyCustomersSql makes them) and `$2`
 * the as-of instant: one row of the shop in `dirty_shop` and the next, the database's now, the
 * shop's stored analytics, the value of the step's `readWithClaim` and the claimed customers'
 * histories, with the step's `readPerCustomer`, as a JSON array. No row: no shop to rescore.
 */
const claimAndReadSql = (after: AfterRescoring | undefined, claimCtes: string) => `
  WITH RECURSIVE ${ASYNC_COMMIT}, ${claimCtes}
  SELECT ds.shop_id, ds.next_shop_id,
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS read_at,
    ${SHOP_ANALYTICS_COLUMNS}, (${after?.readWithClaim("ds.shop_id") ?? "NULL"}) AS read_along,
    (SELECT json_agg(h) FROM (
       SELECT k.customer_id::text AS claimed_id, k.marked_at, m.xmin::text AS metrics_version,
              ${HISTORY_COLUMNS},
              (${after?.readPerCustomer("ds.shop_id", "k.customer_id") ?? "NULL"}) AS read
       FROM claimed k
       LEFT JOIN customer c ON c.shop_id = ds.shop_id AND c.id = k.customer_id
         AND c.deleted_at IS NULL
       LEFT JOIN LATERAL (${purchaseSummarySql({
         shop: "ds.shop_id",
         timeZone: "(SELECT iana_timezone FROM shop WHERE id = ds.shop_id)",
         asOf: "$2",
         customerIds: "c.id",
       })}) s ON true
       LEFT JOIN customer_metrics m ON m.shop_id = ds.shop_id AND m.customer_id = c.id
     ) h) AS customers
  FROM async_commit, dirty_shop ds JOIN shop s ON s.id = ds.shop_id
  JOIN shop_analytics a ON a.shop_id = ds.shop_id`;

/**
 * Each step's statement texts, built once: the metrics job's claim (`$1` the shop to start from,
 * `$3` the batch size), the sync path's marking that claims (`$1` the shop, `$3` customer ids
 * and `$4` order ids as JSON arrays), and the write.
 */
const statements = new Map<string, { claim: string; markAndClaim: string; write: string }>();

function statementsFor(after: AfterRescoring | undefined) {
  const key = after?.name ?? "";
  let found = statements.get(key);
  if (!found) {
    found = {
      claim: claimAndReadSql(after, claimDirtyCustomersSql("$1", "$3")),
      markAndClaim: claimAndReadSql(after, markAndClaimCustomersSql("$1", "$3", "$4")),
      write: rescoringWriteSql(after?.writeWithRescoring ?? ""),
    };
    statements.set(key, found);
  }
  return found;
}

const statementPrefix = (after: AfterRescoring | undefined) =>
  after ? `analytics_rescoring_${after.name}` : "analytics_rescoring";

type ClaimAndReadRow = ShopAnalyticsRow & {
  shop_id: number;
  next_shop_id: number | null;
  read_at: string;
  read_along: unknown;
  customers: ClaimedRow[] | null;
};

/** What the rescoring options name: the step after it, and the as-of instant. */
export interface RescoringOptions {
  now?: Date;
  afterRescoring?: AfterRescoring;
}

/** Claimed customers with what their rescoring reads, to be scored and written (rescoreClaimed). */
export interface ClaimedCustomers {
  row: ClaimAndReadRow;
  now: Date;
  after: AfterRescoring | undefined;
}

interface Batch {
  shopId: number;
  nextShopId: number | null;
  claimed: number;
  rescored: number;
}

/**
 * Claims up to `batchSize` marks of the first shop from `fromShop` on that has some, rescores
 * them and writes the result. Returns null when no shop from `fromShop` on has marks.
 */
async function rescoreBatch(
  sql: SqlClient,
  fromShop: number,
  batchSize: number,
  now: Date,
  after: AfterRescoring | undefined,
): Promise<Batch | null> {
  const { rows } = await sql.query<ClaimAndReadRow>(
    statementsFor(after).claim,
    [fromShop, now.toISOString(), batchSize],
    { preparedAs: `${statementPrefix(after)}_claim` },
  );
  const row = rows[0];
  if (!row) return null;
  const claimed = row.customers?.length ?? 0;
  const batch = { shopId: row.shop_id, nextShopId: row.next_shop_id, claimed };
  return { ...batch, rescored: await rescoreClaimed(sql, { row, now, after }) };
}

/** The marking that claims failed: the transaction is lost, marking alone may still succeed. */
export class MarkAndClaimError extends Error {
  constructor(cause: unknown) {
    super(`marking and claiming customers for rescoring failed: ${String(cause)}`, { cause });
    this.name = "MarkAndClaimError";
  }
}

/**
 * The sync path's marking (markCustomersDirty) for a change it is about to commit, which also
 * claims the marks and reads what rescoring them needs when the shop has a model: the same
 * round trip, so after its commit the rescoring is one statement (rescoreClaimed). Null when
 * nothing was claimed (no change, or no model yet): the metrics job rescores them.
 */
export async function markAndClaimCustomers(
  sql: SqlQueryable,
  shopId: number,
  changed: { customerIds: readonly bigint[]; orderIds: readonly bigint[] },
  options: RescoringOptions = {},
): Promise<ClaimedCustomers | null> {
  if (changed.customerIds.length === 0 && changed.orderIds.length === 0) return null;
  const { afterRescoring: after } = options;
  const now = options.now ?? new Date();
  const { rows } = await sql
    .query<ClaimAndReadRow>(
      statementsFor(after).markAndClaim,
      [
        shopId,
        now.toISOString(),
        JSON.stringify(changed.customerIds.map(String)),
        JSON.stringify(changed.orderIds.map(String)),
      ],
      { preparedAs: `${statementPrefix(after)}_mark` },
    )
    .catch((error: unknown) => {
      throw new MarkAndClaimError(error);
    });
  const row = rows[0];
  return row?.customers?.length ? { row, now, after } : null;
}

/**
 * Scores claimed customers and writes them, with the step after the rescoring, in one
 * statement. Returns how many were rescored: a customer whose metrics changed meanwhile (a full
 * recompute) or who was marked again is left to the next claim.
 */
export async function rescoreClaimed(
  sql: SqlQueryable,
  { row, now, after }: ClaimedCustomers,
): Promise<number> {
  const claimed = row.customers ?? [];
  if (claimed.length === 0) return 0;
  const shop = shopAnalyticsFromRow(row.shop_id, row);
  // The claim only picks shops with a stored model.
  if (!shop.model) throw new Error(`shop ${row.shop_id} has analytics but no model`);
  const today = calendarDay(now, shop.timeZone);
  const context = scoringContext(shop.model, shop.settings, now);
  const readAt = new Date(row.read_at);
  const writes = claimed.map(
    ({ customer_id, claimed_id, marked_at, metrics_version, read, ...rest }) => {
      const history = customer_id === null ? null : toHistoryRow({ ...rest, customer_id });
      const values =
        history &&
        rowValues({
          customerId: history.customerId,
          previousStage: history.previousStage,
          score: scoreCustomer(
            summaryFromAggregates(history.aggregates, today),
            history.previousStage,
            context,
          ),
        });
      const written: RescoringWrite = {
        id: claimed_id,
        markedAt: marked_at,
        version: metrics_version,
        metrics: values,
        after:
          after?.changes(row.read_along, read, readAt, values && valuesByColumn(values)) ?? null,
      };
      return written;
    },
  );
  const result = await sql.query<{ rescored: number }>(
    statementsFor(after).write,
    [row.shop_id, now.toISOString(), JSON.stringify(writes)],
    { preparedAs: `${statementPrefix(after)}_write` },
  );
  return result.rows[0]?.rescored ?? 0;
}

/**
 * Drains the marks of every shop that has a model; returns the customers rescored.
 *
 * No transaction: a claim is a lease (dirty-customers.server.ts), and the write stores a
 * customer's scores only over the metrics row they were computed from, so a full recompute that
 * commits in between wins and the customer is rescored again; a crash between the two statements
 * leaves the marks to be claimed when their lease runs out.
 */
export async function refreshDirtyCustomers(
  sql: SqlClient,
  options: RescoringOptions & { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  let refreshed = 0;
  let fromShop = 0;
  for (;;) {
    const batch = await rescoreBatch(
      sql,
      fromShop,
      batchSize,
      options.now ?? new Date(),
      options.afterRescoring,
    );
    if (!batch) break;
    refreshed += batch.rescored;
    // A full batch may have left more of the shop's marks; otherwise on to the next shop.
    if (batch.claimed === batchSize) fromShop = batch.shopId;
    else if (batch.nextShopId === null) break;
    else fromShop = batch.nextShopId;
  }
  return refreshed;
}
