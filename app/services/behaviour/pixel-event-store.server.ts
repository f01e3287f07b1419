import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { PixelEventRow } from "./pixel-batch";

export interface StoredBatch {
  /** The shop the batch was stored under, or null when the domain is not an installed shop. */
  shopId: number | null;
  /** Rows written: the batch's rows less those stored before (a replay, a retried beacon). */
  stored: number;
  /** Earlier events credited to a customer because their browser signed in (stitching). */
  stitched: number;
}

/**
 * One statement, one round trip, for any batch (and a second when it stitches a browser):
 *
 * - `s`: the shop, only when installed: for any other domain nothing below writes a row.
 * - `signed_in`: the customer each browser of the batch signed in as (its latest event naming one).
 * - `visitor`: those browsers stitched to their customer in pixel_visitor. The row is written
 *   only when the customer is new for the browser, or its last sighting is over an hour old, so
 *   a signed-in shopper's every batch does not rewrite it; the browsers it returns then get
 *   their anonymous events credited to the customer (CREDIT_EARLIER: a shared computer's events
 *   already credited to someone else keep theirs). The hourly rewrite also catches events a
 *   concurrent batch stored anonymously while the stitch committed, or a crash in between.
 * - `stored`: the events, credited to the customer the event names, else the one its browser
 *   signed in as in this batch, else the one pixel_visitor knows (a lookup by its key per
 *   event). A replay is a no-op through the key (shop_id, event_id, occurred_at).
 *
 * Each lookup is written so that it is an index probe whatever plan the statement gets (it is
 * prepared once per connection): the browser's customer by pixel_visitor's key.
 *
 * Timestamps are UTC wall times (`timestamp` columns): ISO texts cast to `timestamp` keep their
 * digits and drop the zone, whatever the session's time zone.
 */
const STORE_BATCH = `
WITH s AS (SELECT id FROM shop WHERE domain = $1 AND state = 'installed'),
e AS (
  SELECT * FROM unnest($2::text[], $3::timestamp[], $4::text[], $5::bigint[], $6::text[],
                       $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[],
                       $12::boolean[])
    AS e(event_id, occurred_at, client_id, customer_id, name, product_id, variant_id,
         collection_id, search_query, path, marketing_consent)
),
signed_in AS (
  SELECT DISTINCT ON (client_id) client_id, customer_id FROM e
  WHERE customer_id IS NOT NULL ORDER BY client_id, occurred_at DESC
),
visitor AS (
  INSERT INTO pixel_visitor AS v (shop_id, client_id, customer_id, first_seen_at, last_seen_at, stitched_at)
  SELECT s.id, signed_in.client_id, signed_in.customer_id, $13::timestamp, $13::timestamp, $13::timestamp
  FROM s CROSS JOIN signed_in
  ON CONFLICT (shop_id, client_id) DO UPDATE SET
    customer_id = excluded.customer_id,
    last_seen_at = excluded.last_seen_at,
    stitched_at = CASE WHEN v.customer_id IS DISTINCT FROM excluded.customer_id
                       THEN excluded.stitched_at ELSE v.stitched_at END
  WHERE v.customer_id IS DISTINCT FROM excluded.customer_id
     OR v.last_seen_at < excluded.last_seen_at - interval '1 hour'
  RETURNING v.shop_id, v.client_id, v.customer_id
),
stored AS (
  INSERT INTO pixel_event (shop_id, event_id, occurred_at, received_at, client_id, customer_id,
                           name, product_id, variant_id, collection_id, search_query, path,
                           marketing_consent)
  SELECT s.id, e.event_id, e.occurred_at, $13::timestamp, e.client_id,
         coalesce(e.customer_id, signed_in.customer_id,
                  (SELECT known.customer_id FROM pixel_visitor known
                   WHERE known.shop_id = s.id AND known.client_id = e.client_id)),
         e.name, e.product_id, e.variant_id, e.collection_id, e.search_query, e.path,
         e.marketing_consent
  FROM s CROSS JOIN e
  LEFT JOIN signed_in ON signed_in.client_id = e.client_id
  ORDER BY e.event_id
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT id FROM s) AS shop_id,
       (SELECT count(*) FROM stored)::int AS stored,
       ARRAY(SELECT client_id FROM visitor ORDER BY client_id) AS stitched_clients,
       ARRAY(SELECT customer_id::text FROM visitor ORDER BY client_id) AS stitched_customers`;

/**
 * The stitched browsers' anonymous events credited to their customer. Apart from the batch's
 * statement because it is rare (a browser's first sign-in, then hourly) and touches every day's
 * partition: in the batch's statement its plan would open all of them on every batch.
 */
const CREDIT_EARLIER = `
UPDATE pixel_event p SET customer_id = v.customer_id
FROM unnest($2::text[], $3::bigint[]) AS v(client_id, customer_id)
WHERE p.shop_id = $1 AND p.client_id = ANY($2::text[]) AND p.client_id = v.client_id
  AND p.customer_id IS NULL
RETURNING 1`;

/**
 * Stores a verified batch's rows under the installed shop `shopDomain`, stitching browsers to
 * the customers they signed in as.
 */
export async function storePixelEvents(
  sql: SqlQueryable,
  shopDomain: string,
  rows: readonly PixelEventRow[],
  receivedAt: Date,
): Promise<StoredBatch> {
  const column = <T>(pick: (row: PixelEventRow) => T) => rows.map(pick);
  const { rows: result } = await sql.query<{
    shop_id: number | null;
    stored: number;
    stitched_clients: string[];
    stitched_customers: string[];
  }>(
    STORE_BATCH,
    [
      shopDomain,
      column((row) => row.eventId),
      column((row) => row.occurredAt.toISOString()),
      column((row) => row.clientId),
      column((row) => row.customerId),
      column((row) => row.name),
      column((row) => row.productId),
      column((row) => row.variantId),
      column((row) => row.collectionId),
      column((row) => row.searchQuery),
      column((row) => row.path),
      column((row) => row.marketingConsent),
      receivedAt.toISOString(),
    ],
    { preparedAs: "pixel_store_batch" },
  );
  const first = result[0];
  const shopId = first?.shop_id ?? null;
  let stitched = 0;
  if (shopId !== null && first && first.stitched_clients.length > 0) {
    const credited = await sql.query(
      CREDIT_EARLIER,
      [shopId, first.stitched_clients, first.stitched_customers],
      { preparedAs: "pixel_credit_earlier" },
    );
    stitched = credited.rows.length;
  }
  return { shopId, stored: first?.stored ?? 0, stitched };
}

/**
 * The rows less the clamped ones stored before. A clamped event's time is the time of receipt,
 * new on every copy, so the key does not find a replay of it: its id is looked for among the
 * shop's events since `since` (a probe of the key's index in each day's partition). Only for
 * batches holding a clamped event, which a correct clock never sends.
 */
export async function withoutClampedReplays(
  sql: SqlQueryable,
  shopDomain: string,
  rows: readonly PixelEventRow[],
  since: Date,
): Promise<PixelEventRow[]> {
  const clamped = rows.filter((row) => row.clamped).map((row) => row.eventId);
  if (clamped.length === 0) return [...rows];
  const { rows: found } = await sql.query<{ event_id: string }>(
    `SELECT e.event_id FROM pixel_event e
     WHERE e.shop_id = (SELECT id FROM shop WHERE domain = $1)
       AND e.event_id = ANY($2::text[]) AND e.occurred_at >= $3::timestamp`,
    [shopDomain, clamped, since.toISOString()],
  );
  const replayed = new Set(found.map((row) => row.event_id));
  return rows.filter((row) => !(row.clamped && replayed.has(row.eventId)));
}
