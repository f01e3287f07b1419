/**
 * The admin's customers list: filter, search, sort and page on the server over customer_metrics
 * joined to the customer, so only one page ever leaves the database.
 */
import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { withoutNul } from "~/lib/form-text";
import { LIFECYCLE_STAGES } from "./models/lifecycle";
import { RFM_SEGMENTS } from "./models/rfm";

/** Sort keys the merchant can pick, mapped to fixed SQL (never built from input). */
const SORTS = {
  predicted_clv: "m.predicted_clv",
  net_revenue: "m.net_revenue",
  orders_count: "m.orders_count",
  last_order_at: "m.last_order_at",
  prob_alive: "m.prob_alive",
} as const;

export const PAGE_SIZE = 50;

export const customerListQuerySchema = z.object({
  q: z.string().transform(withoutNul).pipe(z.string().trim().max(100)).optional().catch(undefined),
  segment: z.enum(RFM_SEGMENTS).optional().catch(undefined),
  stage: z.enum(LIFECYCLE_STAGES).optional().catch(undefined),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS]).catch("predicted_clv"),
  direction: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export interface CustomerListRow {
  customerId: string;
  name: string;
  email: string | null;
  ordersCount: number;
  netRevenue: number;
  lastOrderAt: string | null;
  rfmSegment: string | null;
  lifecycleStage: string;
  probAlive: number | null;
  predictedClv: number | null;
}

export interface CustomerListPage {
  rows: CustomerListRow[];
  total: number;
  query: CustomerListQuery;
  hasNext: boolean;
}

/** `%`, `_` and `\` in the search box are literal characters, not patterns. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listCustomers(
  sql: SqlQueryable,
  shopId: number,
  query: CustomerListQuery,
): Promise<CustomerListPage> {
  // customer_metrics holds live customers only (deleted ones lose their row), so filtering,
  // counting and sorting touch that table alone; customer details join the one page.
  const params: unknown[] = [shopId];
  const where: string[] = [];
  if (query.segment) {
    params.push(query.segment);
    where.push(`m.rfm_segment = $${params.length}`);
  }
  if (query.stage) {
    params.push(query.stage);
    where.push(`m.lifecycle_stage = $${params.length}`);
  }
  if (query.q) {
    params.push(likePattern(query.q));
    const p = `$${params.length}`;
    where.push(
      `m.customer_id IN (SELECT c.id FROM customer c WHERE c.shop_id = $1 AND (c.email ILIKE ${p}
         OR (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) ILIKE ${p}))`,
    );
  }
  const from = `FROM customer_metrics m WHERE m.shop_id = $1 ${where.map((term) => `AND ${term}`).join(" ")}`;
  const order = `${SORTS[query.sort]} ${query.direction === "asc" ? "ASC" : "DESC"} NULLS LAST, m.customer_id`;
  const [page, count] = await Promise.all([
    sql.query<{
      customer_id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      orders_count: number;
      net_revenue: number;
      last_order_at: string | null;
      rfm_segment: string | null;
      lifecycle_stage: string;
      prob_alive: number | null;
      predicted_clv: number | null;
    }>(
      `WITH page AS (
         SELECT m.* ${from} ORDER BY ${order}
         LIMIT ${PAGE_SIZE + 1} OFFSET ${(query.page - 1) * PAGE_SIZE})
       SELECT m.customer_id::text, c.first_name, c.last_name, c.email, m.orders_count,
              m.net_revenue::float8 AS net_revenue, m.rfm_segment, m.lifecycle_stage, m.prob_alive,
              m.predicted_clv::float8 AS predicted_clv,
              to_char(m.last_order_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_order_at
       FROM page m JOIN customer c ON c.shop_id = m.shop_id AND c.id = m.customer_id
       ORDER BY ${order}`,
      params,
    ),
    sql.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, params),
  ]);
  return {
    rows: page.rows.slice(0, PAGE_SIZE).map((row) => ({
      customerId: row.customer_id,
      name: displayName(row.first_name, row.last_name) ?? "(no name)",
      email: row.email,
      ordersCount: row.orders_count,
      netRevenue: row.net_revenue,
      lastOrderAt: row.last_order_at,
      rfmSegment: row.rfm_segment,
      lifecycleStage: row.lifecycle_stage,
      probAlive: row.prob_alive,
      predictedClv: row.predicted_clv,
    })),
    total: count.rows[0]?.total ?? 0,
    query,
    hasNext: page.rows.length > PAGE_SIZE,
  };
}
