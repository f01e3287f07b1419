/**
 * Writes web pixel events and visitors straight into pixel_event and pixel_visitor, as the
 * ingest would have stored them, so tests and the demo's generated browsing need no pixel.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface PixelEventRow {
  eventId: string;
  occurredAt: Date;
  clientId: string;
  customerId?: bigint | null;
  name?: string;
  productId?: bigint | null;
  marketingConsent?: boolean;
}

/** Rows a statement: PostgreSQL's parameter arrays stay far below any limit at this size. */
const BATCH = 5000;

export async function insertPixelEvents(
  sql: SqlQueryable,
  shopId: number,
  events: readonly PixelEventRow[],
): Promise<void> {
  for (let start = 0; start < events.length; start += BATCH) {
    const batch = events.slice(start, start + BATCH);
    await sql.query(
      `INSERT INTO pixel_event (shop_id, event_id, occurred_at, received_at, client_id,
         customer_id, name, product_id, marketing_consent)
       SELECT $1, e.id, e.at AT TIME ZONE 'UTC', e.at AT TIME ZONE 'UTC', e.client_id,
              e.customer_id, e.name, e.product_id, e.marketing
       FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::bigint[], $6::text[],
                   $7::bigint[], $8::boolean[])
         AS e(id, at, client_id, customer_id, name, product_id, marketing)
       ON CONFLICT DO NOTHING`,
      [
        shopId,
        batch.map((event) => event.eventId),
        batch.map((event) => event.occurredAt.toISOString()),
        batch.map((event) => event.clientId),
        batch.map((event) => event.customerId?.toString() ?? null),
        batch.map((event) => event.name ?? "product_viewed"),
        batch.map((event) => event.productId?.toString() ?? null),
        batch.map((event) => event.marketingConsent ?? false),
      ],
    );
  }
}

/** Browsers known to belong to a customer (what sign-in or checkout stitching records). */
export async function insertPixelVisitors(
  sql: SqlQueryable,
  shopId: number,
  visitors: ReadonlyArray<{ clientId: string; customerId: bigint }>,
): Promise<void> {
  await sql.query(
    `INSERT INTO pixel_visitor (shop_id, client_id, customer_id, stitched_at)
     SELECT $1, v.client_id, v.customer_id, now()
     FROM unnest($2::text[], $3::bigint[]) AS v(client_id, customer_id)
     ON CONFLICT DO NOTHING`,
    [shopId, visitors.map((v) => v.clientId), visitors.map((v) => v.customerId.toString())],
  );
}
