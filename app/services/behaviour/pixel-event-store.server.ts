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
 * One statement, one round trip, whatever the batch holds:
 *
 * - `s`: the shop, only when installed: for any other domain nothing below writes a row.
 * - `signed_in`: the customer each browser of the batch signed in as (its latest event naming one).
 * - `visitor`: those browsers stitched to their customer in pixel_visitor. The row is written
 *   only when the customer is new for the browser, or its last sighting is over an hour old, so
 *   a signed-in shopper's every batch does not rewrite it; `earlier` then credits the browser's
 *   anonymous events to the customer (a shared computer's events already credited to someone
 *   else keep theirs). The hourly rewrite also catches events a concurrent batch stored
 *   anonymously while the stitch committed.
 * - `stored`: the events, credited to the customer the event names, else the one its browser
 *   signed in as in this batch, else the one pixel_visitor knows. A replay is a no-op through
 *   the key (shop_id, event_id, occurred_at); an event whose time was clamped gets a new time on
 *   every copy, so it is looked for by id among the last `$15` days' events as well.
 *
 * Timestamps are UTC wall times (`timestamp` columns): ISO texts cast to `timestamp` keep their
 * digits and drop the zone, whatever the session's time zone.
 */
const STORE_BATCH = `
WITH s AS (SELECT id FROM shop WHERE domain = $1 AND state = 'installed'),
e AS (
  SELECT * FROM unnest($2::text[], $3::timestamp[], $4::text[], $5::bigint[], $6::text[],
                       $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[],
                       $12::boolean[], $13::boolean[])
    AS e(event_id, occurred_at, client_id, customer_id, name, product_id, variant_id,
         collection_id, search_query, path, marketing_consent, clamped)
),
signed_in AS (
  SELECT DISTINCT ON (client_id) client_id, customer_id FROM e
  WHERE customer_id IS NOT NULL ORDER BY client_id, occurred_at DESC
),
visitor AS (
  INSERT INTO pixel_visitor AS v (shop_id, client_id, customer_id, first_seen_at, last_seen_at, stitched_at)
  SELECT s.id, signed_in.client_id, signed_in.customer_id, $14::timestamp, $14::timestamp, $14::timestamp
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
earlier AS (
  UPDATE pixel_event p SET customer_id = visitor.customer_id
  FROM visitor
  WHERE p.shop_id = visitor.shop_id AND p.client_id = visitor.client_id AND p.customer_id IS NULL
  RETURNING 1
),
stored AS (
  INSERT INTO pixel_event (shop_id, event_id, occurred_at, received_at, client_id, customer_id,
                           name, product_id, variant_id, collection_id, search_query, path,
                           marketing_consent)
  SELECT s.id, e.event_id, e.occurred_at, $14::timestamp, e.client_id,
         coalesce(e.customer_id, signed_in.customer_id, known.customer_id),
         e.name, e.product_id, e.variant_id, e.collection_id, e.search_query, e.path,
         e.marketing_consent
  FROM s CROSS JOIN e
  LEFT JOIN signed_in ON signed_in.client_id = e.client_id
  LEFT JOIN pixel_visitor known ON known.shop_id = s.id AND known.client_id = e.client_id
  WHERE NOT (e.clamped AND EXISTS (
    SELECT 1 FROM pixel_event earlier_copy
    WHERE earlier_copy.shop_id = s.id AND earlier_copy.event_id = e.event_id
      AND earlier_copy.occurred_at >= $14::timestamp - make_interval(days => $15)))
  ORDER BY e.event_id
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT id FROM s) AS shop_id,
       (SELECT count(*) FROM stored)::int AS stored,
       (SELECT count(*) FROM earlier)::int AS stitched`;

/**
 * Stores a verified batch's rows under the installed shop `shopDomain`, stitching browsers to
 * the customers they signed in as. `clampedLookbackDays` bounds the search for an earlier copy of
 * a clamped event (the clamp's own tolerance, a day more).
 */
export async function storePixelEvents(
  sql: SqlQueryable,
  shopDomain: string,
  rows: readonly PixelEventRow[],
  receivedAt: Date,
  clampedLookbackDays: number,
): Promise<StoredBatch> {
  const column = <T>(pick: (row: PixelEventRow) => T) => rows.map(pick);
  const { rows: result } = await sql.query<{
    shop_id: number | null;
    stored: number;
    stitched: number;
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
      column((row) => row.clamped),
      receivedAt.toISOString(),
      clampedLookbackDays,
    ],
    { preparedAs: "pixel_store_batch" },
  );
  const first = result[0];
  return {
    shopId: first?.shop_id ?? null,
    stored: first?.stored ?? 0,
    stitched: first?.stitched ?? 0,
  };
}
