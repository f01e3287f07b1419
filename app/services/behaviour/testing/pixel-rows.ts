/** Hand-made web pixel events and stitched browsers, for tests of what reads them. */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface PixelEventRow {
  name: "product_viewed" | "product_added_to_cart" | "page_viewed";
  at: Date;
  /** Defaults to a browser of the customer's own. */
  clientId?: string;
  customerId?: bigint | null;
  productId?: bigint;
  /** Defaults to true. */
  marketing?: boolean;
}

let nextEvent = 1;

export async function insertPixelEvents(
  sql: SqlQueryable,
  shopId: number,
  rows: readonly PixelEventRow[],
): Promise<void> {
  await sql.query(
    `INSERT INTO pixel_event (shop_id, event_id, occurred_at, client_id, customer_id, name,
       product_id, marketing_consent)
     SELECT $1, e.id, e.at AT TIME ZONE 'UTC', e.client_id, e.customer_id, e.name, e.product_id,
            e.marketing
     FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::bigint[], $6::text[],
                 $7::bigint[], $8::boolean[])
       AS e(id, at, client_id, customer_id, name, product_id, marketing)`,
    [
      shopId,
      rows.map(() => `event-${nextEvent++}`),
      rows.map((row) => row.at.toISOString()),
      rows.map((row) => row.clientId ?? `client-of-${row.customerId}`),
      rows.map((row) => row.customerId?.toString() ?? null),
      rows.map((row) => row.name),
      rows.map((row) => row.productId?.toString() ?? null),
      rows.map((row) => row.marketing ?? true),
    ],
  );
}

/** The browser turned out to be the customer's (they signed in or checked out). */
export async function stitchBrowser(
  sql: SqlQueryable,
  shopId: number,
  clientId: string,
  customerId: bigint,
): Promise<void> {
  await sql.query(
    `INSERT INTO pixel_visitor (shop_id, client_id, customer_id, stitched_at)
     VALUES ($1, $2, $3, now())`,
    [shopId, clientId, customerId.toString()],
  );
}
