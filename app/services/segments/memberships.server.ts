/**
 * Segment memberships kept current: after a full metrics recompute every segment is evaluated
 * for the whole shop; after an incremental one, only for the customers that changed. Each run
 * inserts those who now match and deletes those who no longer do, in one statement, and records
 * every entry and exit; a customer whose membership did not change leaves no trace.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { AfterRescoring } from "~/services/analytics/refresh-dirty.server";
import { audienceQuery, segmentsAudienceQuery } from "./audience-sql";
import type { SegmentExpression } from "./language";

export interface MembershipChanges {
  entered: number;
  exited: number;
}

type StoredSegment = { id: string; ast: SegmentExpression };

/** Sums the `events` CTE's rows by kind. */
function changesOf(rows: ReadonlyArray<{ kind: string; count: number }>): MembershipChanges {
  const count = (kind: string) => rows.find((row) => row.kind === kind)?.count ?? 0;
  return { entered: count("enter"), exited: count("exit") };
}

/** Evaluates one segment for the whole shop. */
async function refreshSegment(
  sql: SqlQueryable,
  shopId: number,
  segment: StoredSegment,
  at: Date,
): Promise<MembershipChanges> {
  const audience = audienceQuery(shopId, segment.ast);
  const segmentParam = `$${audience.params.length + 1}`;
  const atParam = `$${audience.params.length + 2}`;
  const { rows } = await sql.query<{ kind: string; count: number }>(
    `WITH target AS (SELECT c.id ${audience.from}),
     entered AS (
       INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
       SELECT $1, ${segmentParam}::bigint, id, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM target ORDER BY id
       ON CONFLICT DO NOTHING RETURNING customer_id),
     exited AS (
       DELETE FROM segment_membership sm
       WHERE sm.shop_id = $1 AND sm.segment_id = ${segmentParam}::bigint
         AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = sm.customer_id)
       RETURNING sm.customer_id),
     events AS (
       INSERT INTO segment_membership_event (shop_id, segment_id, customer_id, kind, at)
       SELECT $1, ${segmentParam}::bigint, customer_id, kind, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM (SELECT customer_id, 'enter' AS kind FROM entered
             UNION ALL SELECT customer_id, 'exit' FROM exited) changed
       RETURNING kind)
     SELECT kind, count(*)::int AS count FROM events GROUP BY kind`,
    [...audience.params, segment.id, at.toISOString()],
  );
  return changesOf(rows);
}

/**
 * Evaluates every segment for the listed customers, in one statement whose work is a few index
 * lookups per customer and segment: exits are found through the memberships of those customers
 * (the (shop, customer) index), never by walking a segment's members. The deletion names the
 * segments evaluated, so a segment saved meanwhile by another transaction keeps its members.
 */
async function refreshSegmentsForCustomers(
  sql: SqlQueryable,
  shopId: number,
  segments: readonly StoredSegment[],
  at: Date,
  customerIds: readonly bigint[],
): Promise<MembershipChanges> {
  const audience = segmentsAudienceQuery(shopId, segments, customerIds);
  const segmentsParam = `$${audience.params.length + 1}`;
  const atParam = `$${audience.params.length + 2}`;
  const { rows } = await sql.query<{ kind: string; count: number }>(
    `WITH target AS (${audience.select}),
     entered AS (
       INSERT INTO segment_membership (shop_id, segment_id, customer_id, entered_at)
       SELECT $1, segment_id, id, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM target ORDER BY segment_id, id
       ON CONFLICT DO NOTHING RETURNING segment_id, customer_id),
     exited AS (
       DELETE FROM segment_membership sm
       WHERE sm.shop_id = $1 AND sm.customer_id = ANY($2::bigint[])
         AND sm.segment_id = ANY(${segmentsParam}::bigint[])
         AND NOT EXISTS (SELECT 1 FROM target t
                         WHERE t.segment_id = sm.segment_id AND t.id = sm.customer_id)
       RETURNING sm.segment_id, sm.customer_id),
     events AS (
       INSERT INTO segment_membership_event (shop_id, segment_id, customer_id, kind, at)
       SELECT $1, segment_id, customer_id, kind, (${atParam}::timestamptz AT TIME ZONE 'UTC')
       FROM (SELECT segment_id, customer_id, 'enter' AS kind FROM entered
             UNION ALL SELECT segment_id, customer_id, 'exit' FROM exited) changed
       RETURNING kind)
     SELECT kind, count(*)::int AS count FROM events GROUP BY kind`,
    [...audience.params, segments.map((segment) => segment.id), at.toISOString()],
  );
  return changesOf(rows);
}

/**
 * Re-evaluates every segment of the shop for all its customers (after a full recompute). Run
 * inside the transaction that wrote the metrics it reads.
 */
export async function refreshMemberships(
  sql: SqlQueryable,
  shopId: number,
  at: Date,
): Promise<MembershipChanges> {
  const { rows } = await sql.query<StoredSegment>(
    `SELECT id::text, ast FROM segment WHERE shop_id = $1 ORDER BY id`,
    [shopId],
  );
  if (rows.length === 0) return { entered: 0, exited: 0 };
  const total = { entered: 0, exited: 0 };
  for (const segment of rows) {
    const changes = await refreshSegment(sql, shopId, segment, at);
    total.entered += changes.entered;
    total.exited += changes.exited;
  }
  await sql.query(`UPDATE segment SET refreshed_at = now() WHERE shop_id = $1`, [shopId]);
  return total;
}

/**
 * Re-evaluates every segment of the shop for the customers an incremental rescoring just
 * scored, inside its transaction. The shop's segments come back with the rescoring's claim.
 */
export const rescoredMemberships: AfterRescoring = {
  name: "segments",
  readWithClaim: `SELECT coalesce(json_agg(json_build_object('id', g.id::text, 'ast', g.ast)
                                           ORDER BY g.id), '[]')
                  FROM segment g WHERE g.shop_id = $1`,
  async run(tx, shopId, at, customerIds, read) {
    const segments = read as StoredSegment[];
    if (segments.length === 0 || customerIds.length === 0) return { entered: 0, exited: 0 };
    return refreshSegmentsForCustomers(tx, shopId, segments, at, customerIds);
  },
};

/** Evaluates one segment for the whole shop (after it is created or edited). */
export async function refreshSegmentMembers(
  sql: SqlQueryable,
  shopId: number,
  segment: { id: bigint; ast: SegmentExpression },
  at: Date = new Date(),
): Promise<MembershipChanges> {
  return refreshSegment(sql, shopId, { id: segment.id.toString(), ast: segment.ast }, at);
}
