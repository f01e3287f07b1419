/**
 * The one place a compiled segment meets the tables: every customer of a shop joined to their
 * metrics, filtered by the segment's WHERE fragment. `$1` is always the shop; the fragment's own
 * parameters follow the caller's.
 */
import { compileSegment, type SegmentExpression } from "./language";

export interface AudienceQuery {
  /** `FROM customer c LEFT JOIN customer_metrics m ... WHERE ...`, ready for a SELECT list. */
  from: string;
  params: unknown[];
}

const AUDIENCE_FROM = `FROM customer c
           LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
           WHERE c.shop_id = $1 AND c.deleted_at IS NULL`;

export function audienceQuery(shopId: number, ast: SegmentExpression): AudienceQuery {
  const compiled = compileSegment(ast, { firstParamIndex: 2 });
  return {
    from: `${AUDIENCE_FROM} AND (${compiled.sql})`,
    params: [shopId, ...compiled.params],
  };
}

/**
 * Which of `customerIds` each segment selects, for several segments in one statement: `select`
 * returns rows (`segment_id`, `id`), one per segment and selected customer. `$1` is the shop
 * and `$2` the customers (bigint[]); each segment's id and its fragment's parameters follow.
 */
export function segmentsAudienceQuery(
  shopId: number,
  segments: ReadonlyArray<{ id: string; ast: SegmentExpression }>,
  customerIds: readonly bigint[],
): { select: string; params: unknown[] } {
  const params: unknown[] = [shopId, customerIds.map(String)];
  const branches = segments.map((segment) => {
    params.push(segment.id);
    const segmentParam = `$${params.length}::bigint`;
    const compiled = compileSegment(segment.ast, { firstParamIndex: params.length + 1 });
    params.push(...compiled.params);
    return `SELECT ${segmentParam} AS segment_id, c.id ${AUDIENCE_FROM}
            AND c.id = ANY($2::bigint[]) AND (${compiled.sql})`;
  });
  return { select: branches.join("\n UNION ALL "), params };
}
