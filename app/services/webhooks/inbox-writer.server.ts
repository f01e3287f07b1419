import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface InboxRow {
  shopDomain: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
  status: "pending" | "dead";
  lastError: string | null;
}

/** The inbox's columns a delivery fills, with their types, in the order `inboxInsertParams` gives them. */
const INBOX_COLUMNS = [
  ["shop_domain", "text"],
  ["topic", "text"],
  ["webhook_id", "text"],
  ["event_id", "text"],
  ["api_version", "text"],
  ["triggered_at", "timestamptz"],
  ["payload", "text"],
  ["status", "text"],
  ["last_error", "text"],
] as const;

const insertTexts = new Map<number, string>();

/**
 * The one statement that stores deliveries: `rowCount` rows of plain parameters (a 12 KB body
 * passed as its own parameter costs a third of the CPU, client and server, of the same body
 * inside a text[] for unnest, which escapes every quote), and a redelivery (same webhook id,
 * in this statement or an earlier one) changes nothing.
 *
 * The shop's id is looked up in the same statement (0 for a domain without a shop row: the
 * worker decides what such a delivery means). The partition day is the day of
 * X-Shopify-Triggered-At, which Shopify keeps on every retry (8 over 4 hours), so a retry
 * meets its first copy in the unique key; a header that is missing, more than two days old or
 * in the future is replaced by now, which keeps every row within the partitions made ahead.
 */
function inboxInsertText(rowCount: number): string {
  let text = insertTexts.get(rowCount);
  if (!text) {
    const width = INBOX_COLUMNS.length;
    const tuples = Array.from(
      { length: rowCount },
      (_, row) =>
        `(${INBOX_COLUMNS.map(([, type], column) => `$${row * width + column + 1}::${type}`).join(", ")})`,
    );
    const columns = INBOX_COLUMNS.map(([name]) => name).join(", ");
    text = `INSERT INTO webhook_inbox (shop_id, partition_day, ${columns})
      SELECT coalesce(shop.id, 0),
        (CASE WHEN d.triggered_at BETWEEN now() - interval '2 days' AND now() + interval '1 hour'
              THEN d.triggered_at ELSE now() END AT TIME ZONE 'UTC')::date,
        d.*
      FROM (VALUES ${tuples.join(", ")}) AS d(${columns})
      LEFT JOIN shop ON shop.domain = d.shop_domain
      ON CONFLICT (shop_id, webhook_id, partition_day) DO NOTHING`;
    insertTexts.set(rowCount, text);
  }
  return text;
}

function inboxInsertParams(rows: readonly InboxRow[]): unknown[] {
  const params: unknown[] = [];
  for (const row of rows) {
    params.push(
      row.shopDomain,
      row.topic,
      row.webhookId,
      row.eventId,
      row.apiVersion,
      row.triggeredAt?.toISOString() ?? null,
      row.payload,
      row.status,
      row.lastError,
    );
  }
  return params;
}

/** Stores `rows` in one statement (one transaction): all of them, or none when it fails. */
export async function insertInboxRows(sql: SqlQueryable, rows: readonly InboxRow[]) {
  if (rows.length === 0) return;
  await sql.query(inboxInsertText(rows.length), inboxInsertParams(rows), {
    preparedAs: `webhook_inbox_insert_${rows.length}`,
  });
}

interface Waiting {
  row: InboxRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per statement at most (bounds the statement's size under a burst). */
const MAX_ROWS_PER_INSERT = 100;

/**
 * Group commit for webhook deliveries. Deliveries that arrive in the same turn of the event
 * loop go in one INSERT and one commit; up to `maxInFlight` such statements run at once (one
 * per connection), and deliveries arriving while all are busy wait and go in together in the
 * next. Under load that turns thousands of commits (each a WAL flush) into a few hundred,
 * which is what keeps acknowledgement latency flat; at low load nothing waits.
 *
 * A caller's promise settles only after the statement holding its row has committed, so no
 * delivery is acknowledged before it is durable; when a statement fails, every delivery in it
 * gets the error (the route answers 5xx and Shopify retries) and none of them is stored.
 */
export class InboxWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly sql: SqlQueryable,
    private readonly maxInFlight = 1,
  ) {}

  write(row: InboxRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** After the current turn's I/O, so deliveries read together are written together. */
  private scheduleFlush() {
    if (this.flushScheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) {
      return;
    }
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
        void this.writeBatch(this.waiting.splice(0, MAX_ROWS_PER_INSERT));
      }
    });
  }

  private async writeBatch(batch: Waiting[]) {
    this.inFlight += 1;
    try {
      await insertInboxRows(
        this.sql,
        batch.map((item) => item.row),
      );
      for (const item of batch) item.resolve();
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      this.inFlight -= 1;
      this.scheduleFlush();
    }
  }
}
