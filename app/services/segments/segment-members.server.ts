/**
 * A segment's members as the merchant reads them: a page at a time for the list, and every
 * member as CSV for export. Both walk the membership's primary key (shop, segment, customer)
 * from a customer id, so page 4,000 costs what page 1 costs and an export of 200k members
 * never holds more than one page.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { csvLines } from "~/lib/csv";
import { isDatabaseId } from "~/lib/shopify-id";

export const MEMBER_PAGE_SIZE = 50;
export const EXPORT_PAGE_SIZE = 2_000;

export interface SegmentMember {
  customerId: string;
  /** Null when Shopify has neither a first nor a last name. */
  name: string | null;
  email: string | null;
  /** The stored stage key; the page names it. Null before the customer's first scoring. */
  lifecycleStage: string | null;
  ordersCount: number;
  /** Net revenue in the shop currency. */
  totalSpent: number;
  /** `YYYY-MM-DD` (UTC), or null without orders. */
  lastOrderDate: string | null;
  predictedValue: number | null;
}

/** Where a page starts: after a customer id (next page) or before one (previous page). */
export type MemberCursor = { after?: string; before?: string };

export interface SegmentMemberPage {
  members: SegmentMember[];
  hasNext: boolean;
  hasPrevious: boolean;
}

/** A customer id the bigint column can hold: past 2^63 − 1 it would fail the query. */
const isCursor = (value: string | undefined) => value !== undefined && isDatabaseId(value);

async function readMembers(
  sql: SqlQueryable,
  shopId: number,
  segmentId: bigint,
  { after, before, limit }: { after?: string; before?: string; limit: number },
): Promise<SegmentMember[]> {
  const backwards = isCursor(before);
  const cursor = backwards ? before : isCursor(after) ? after : null;
  const { rows } = await sql.query<{
    customer_id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    lifecycle_stage: string | null;
    orders_count: number | null;
    total_spent: number | null;
    last_order_date: string | null;
    predicted_value: number | null;
  }>(
    `WITH page AS (
       SELECT sm.customer_id FROM segment_membership sm
       WHERE sm.shop_id = $1 AND sm.segment_id = $2
         AND ($3::bigint IS NULL OR sm.customer_id ${backwards ? "<" : ">"} $3::bigint)
       ORDER BY sm.customer_id ${backwards ? "DESC" : "ASC"} LIMIT ${limit})
     SELECT p.customer_id::text, c.first_name, c.last_name, c.email, m.lifecycle_stage,
            m.orders_count, m.net_revenue::float8 AS total_spent,
            to_char(m.last_order_at, 'YYYY-MM-DD') AS last_order_date,
            m.predicted_clv::float8 AS predicted_value
     FROM page p
     JOIN customer c ON c.shop_id = $1 AND c.id = p.customer_id
     LEFT JOIN customer_metrics m ON m.shop_id = $1 AND m.customer_id = p.customer_id
     ORDER BY p.customer_id`,
    [shopId, segmentId.toString(), cursor],
  );
  return rows.map((row) => ({
    customerId: row.customer_id,
    name: displayName(row.first_name, row.last_name),
    email: row.email,
    lifecycleStage: row.lifecycle_stage,
    ordersCount: row.orders_count ?? 0,
    totalSpent: row.total_spent ?? 0,
    lastOrderDate: row.last_order_date,
    predictedValue: row.predicted_value,
  }));
}

/** One page of members in customer order; a malformed cursor reads the first page. */
export async function listSegmentMembers(
  sql: SqlQueryable,
  shopId: number,
  segmentId: bigint,
  cursor: MemberCursor = {},
  pageSize = MEMBER_PAGE_SIZE,
): Promise<SegmentMemberPage> {
  const backwards = isCursor(cursor.before);
  const rows = await readMembers(sql, shopId, segmentId, { ...cursor, limit: pageSize + 1 });
  // One row beyond the page says whether there is more in the direction read.
  const more = rows.length > pageSize;
  const members = backwards
    ? rows.slice(rows.length - Math.min(rows.length, pageSize))
    : rows.slice(0, pageSize);
  return {
    members,
    hasNext: backwards ? true : more,
    hasPrevious: backwards ? more : isCursor(cursor.after),
  };
}

/** What the export writes in the merchant's language: column names and the stage names. */
export interface MemberCsvWords {
  header: readonly [string, string, string, string, string, string, string];
  stage: (key: string) => string;
}

/**
 * Every member as CSV, produced as the reader asks for it: each pull reads the next page from
 * the database, so a slow download holds one page at a time and a cancelled one stops reading.
 */
export function segmentMembersCsv(
  sql: SqlQueryable,
  shopId: number,
  segmentId: bigint,
  words: MemberCsvWords,
  pageSize = EXPORT_PAGE_SIZE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const members = await readMembers(sql, shopId, segmentId, { after, limit: pageSize });
        const rows = members.map((member) => [
          member.name ?? "",
          member.email ?? "",
          member.lifecycleStage === null ? "" : words.stage(member.lifecycleStage),
          member.ordersCount,
          member.totalSpent.toFixed(2),
          member.lastOrderDate ?? "",
          member.predictedValue === null ? "" : member.predictedValue.toFixed(2),
        ]);
        // A byte-order mark first, so spreadsheets read the names as UTF-8.
        const text = started ? csvLines(rows) : `\uFEFF${csvLines([words.header, ...rows])}`;
        if (text) controller.enqueue(encoder.encode(text));
        started = true;
        after = members.at(-1)?.customerId;
        if (members.length < pageSize) controller.close();
      },
    },
    // Nothing read ahead: the next page is read when the reader wants it.
    { highWaterMark: 0 },
  );
}
