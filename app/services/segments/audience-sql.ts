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
