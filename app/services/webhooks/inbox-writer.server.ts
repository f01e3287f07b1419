import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface InboxRow {
  shopDomain: string | null;
  topic: string;
  webhookId: string | null;
  eventId: string | null;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: string;
  status: "pending" | "dead";
  lastError: string | null;
}

interface Waiting {
  row: InboxRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per statement at most (bounds the statement's size under a burst). */
const MAX_ROWS_PER_INSERT = 200;

/**
 * Group commit for webhook deliveries. With no insert in flight a delivery is written at once;
 * deliveries that arrive while one is in flight wait for it and then go in together, in one
 * INSERT and one commit. Under load that turns hundreds of commits (each a WAL flush) into a
 * few, which is what keeps acknowledgement latency flat; at low load nothing waits.
 *
 * A caller's promise settles only after the statement holding its row has committed, so no
 * delivery is acknowledged before it is durable; when a statement fails, every delivery in it
 * gets the error (the route answers 5xx and Shopify retries). A redelivery (same webhook id),
 * in the same statement or a later one, changes nothing.
 */
export class InboxWriter {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly sql: SqlQueryable) {}

  write(row: InboxRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain() {
    this.writing = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_ROWS_PER_INSERT);
      try {
        await this.insert(batch.map((item) => item.row));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.writing = false;
  }

  /**
   * The shop's id is looked up here (0 for a domain without a shop row: the worker decides
   * what such a delivery means). The partition day is the day of X-Shopify-Triggered-At, which
   * Shopify keeps on every retry (8 over 4 hours), so a retry meets its first copy in the
   * unique key; a header that is missing, more than two days old or in the future is replaced
   * by now, which keeps every row within the partitions made ahead.
   */
  private async insert(rows: InboxRow[]) {
    await this.sql.query(
      `INSERT INTO webhook_inbox (shop_id, partition_day, shop_domain, topic, webhook_id, event_id, api_version,
          triggered_at, payload, status, last_error)
       SELECT coalesce(shop.id, 0),
          (CASE WHEN d.triggered_at BETWEEN now() - interval '2 days' AND now() + interval '1 hour'
                THEN d.triggered_at ELSE now() END AT TIME ZONE 'UTC')::date,
          d.*
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
          $7::text[], $8::text[], $9::text[])
          AS d(shop_domain, topic, webhook_id, event_id, api_version, triggered_at, payload, status, last_error)
       LEFT JOIN shop ON shop.domain = d.shop_domain
       ON CONFLICT (shop_id, webhook_id, partition_day) DO NOTHING`,
      [
        rows.map((row) => row.shopDomain),
        rows.map((row) => row.topic),
        rows.map((row) => row.webhookId),
        rows.map((row) => row.eventId),
        rows.map((row) => row.apiVersion),
        rows.map((row) => row.triggeredAt?.toISOString() ?? null),
        rows.map((row) => row.payload),
        rows.map((row) => row.status),
        rows.map((row) => row.lastError),
      ],
    );
  }
}
