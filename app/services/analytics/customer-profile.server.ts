/**
 * One customer's profile page: identity and consent, order timeline, stored metrics and
 * predictions with a plain-language explanation, and stage history.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import { loadFavouriteProducts } from "./customer-history.server";
import { loadShopAnalytics } from "./shop-analytics-store.server";

export interface ProfileOrder {
  id: string;
  name: string;
  processedAt: string;
  total: number;
  refunded: number;
  cancelled: boolean;
  items: number;
}

export interface CustomerProfile {
  customerId: string;
  name: string;
  email: string | null;
  phone: string | null;
  location: string | null;
  tags: string[];
  emailMarketing: string;
  smsMarketing: string;
  createdAt: string;
  redacted: boolean;
  metrics: {
    ordersCount: number;
    netRevenue: number;
    aov: number | null;
    firstOrderAt: string | null;
    lastOrderAt: string | null;
    daysSinceLastOrder: number | null;
    avgDaysBetweenOrders: number | null;
    rScore: number | null;
    fScore: number | null;
    mScore: number | null;
    rfmSegment: string | null;
    lifecycleStage: string;
    probAlive: number | null;
    expectedOrders30d: number | null;
    expectedOrders90d: number | null;
    expectedOrders365d: number | null;
    expectedOrderValue: number | null;
    predictedClv: number | null;
    predictedNextOrderAt: string | null;
    /** Latest order + their usual gap (see score-customer.ts); stays put until they order. */
    nextOrderDueAt: string | null;
    /** Whole days since nextOrderDueAt, as of the request; null until it has passed. */
    daysOverdue: number | null;
  } | null;
  favouriteProducts: Array<{ title: string; units: number }>;
  /**
   * What the predictions rest on: a model fitted to this store's customers, or typical retail
   * patterns (a pooled prior) while the store has too few repeat customers to fit its own.
   */
  modelBasis: "fitted" | "pooled";
  orders: ProfileOrder[];
  stageHistory: Array<{ from: string | null; to: string; changedAt: string }>;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const TIMELINE_ORDERS = 50;

export async function getCustomerProfile(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
): Promise<CustomerProfile | null> {
  const [customer, metrics, orders, stages, shop, favourites] = await Promise.all([
    sql.query<{
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      phone: string | null;
      city: string | null;
      province: string | null;
      country_code: string | null;
      tags: string[];
      email_marketing: string;
      sms_marketing: string;
      created_at: string;
      redacted: boolean;
    }>(
      `SELECT first_name, last_name, email, phone, city, province, country_code, tags,
              email_marketing, sms_marketing, to_char(created_at, ${ISO}) AS created_at,
              redacted_at IS NOT NULL AS redacted
       FROM customer WHERE shop_id = $1 AND id = $2 AND deleted_at IS NULL`,
      [shopId, customerId.toString()],
    ),
    // Columns aliased to the profile's own names, so the row is the profile's metrics as is.
    sql.query<NonNullable<CustomerProfile["metrics"]>>(
      `SELECT m.orders_count AS "ordersCount", m.net_revenue::float8 AS "netRevenue",
              m.aov::float8 AS aov, m.days_since_last_order AS "daysSinceLastOrder",
              to_char(m.first_order_at, ${ISO}) AS "firstOrderAt",
              to_char(m.last_order_at, ${ISO}) AS "lastOrderAt",
              m.avg_days_between_orders AS "avgDaysBetweenOrders",
              m.r_score AS "rScore", m.f_score AS "fScore", m.m_score AS "mScore",
              m.rfm_segment AS "rfmSegment", m.lifecycle_stage AS "lifecycleStage",
              m.prob_alive AS "probAlive", m.expected_orders_30d AS "expectedOrders30d",
              m.expected_orders_90d AS "expectedOrders90d",
              m.expected_orders_365d AS "expectedOrders365d",
              m.expected_order_value::float8 AS "expectedOrderValue",
              m.predicted_clv::float8 AS "predictedClv",
              to_char(m.predicted_next_order_at, ${ISO}) AS "predictedNextOrderAt",
              to_char(m.next_order_due_at, ${ISO}) AS "nextOrderDueAt",
              CASE WHEN m.next_order_due_at < now() AT TIME ZONE 'UTC'
                   THEN floor(extract(epoch FROM now() AT TIME ZONE 'UTC' - m.next_order_due_at)
                              / 86400)::int END AS "daysOverdue"
       FROM customer_metrics m
       WHERE m.shop_id = $1 AND m.customer_id = $2`,
      [shopId, customerId.toString()],
    ),
    sql.query<{
      id: string;
      name: string;
      processed_at: string;
      total: number;
      refunded: number;
      cancelled: boolean;
      items: number;
    }>(
      `SELECT o.id::text, o.name, to_char(o.processed_at, ${ISO}) AS processed_at,
              o.total_price::float8 AS total, o.total_refunded::float8 AS refunded,
              o.cancelled_at IS NOT NULL AS cancelled,
              (SELECT coalesce(sum(l.quantity), 0)::int FROM order_line l
               WHERE l.shop_id = o.shop_id AND l.order_id = o.id) AS items
       FROM "order" o
       WHERE o.shop_id = $1 AND o.customer_id = $2 AND o.deleted_at IS NULL AND NOT o.test
       ORDER BY o.processed_at DESC LIMIT ${TIMELINE_ORDERS}`,
      [shopId, customerId.toString()],
    ),
    sql.query<{ from_stage: string | null; to_stage: string; changed_at: string }>(
      `SELECT from_stage, to_stage, to_char(changed_at, ${ISO}) AS changed_at
       FROM customer_stage_change WHERE shop_id = $1 AND customer_id = $2
       ORDER BY changed_at DESC, id DESC LIMIT 50`,
      [shopId, customerId.toString()],
    ),
    loadShopAnalytics(sql, shopId),
    loadFavouriteProducts(sql, { shopId, timeZone: "UTC", asOf: new Date() }, customerId),
  ]);
  const person = customer.rows[0];
  if (!person) return null;
  const stored = metrics.rows[0] ?? null;
  const basis = shop?.model?.bgnbd;
  return {
    customerId: customerId.toString(),
    name: displayName(person.first_name, person.last_name) ?? "(no name)",
    email: person.email,
    phone: person.phone,
    location:
      [person.city, person.province, person.country_code].filter(Boolean).join(", ") || null,
    tags: person.tags,
    emailMarketing: person.email_marketing,
    smsMarketing: person.sms_marketing,
    createdAt: person.created_at,
    redacted: person.redacted,
    metrics: stored,
    modelBasis: basis?.basis === "fitted" ? "fitted" : "pooled",
    favouriteProducts: favourites.map(({ title, units }) => ({ title, units })),
    orders: orders.rows.map((row) => ({
      id: row.id,
      name: row.name,
      processedAt: row.processed_at,
      total: row.total,
      refunded: row.refunded,
      cancelled: row.cancelled,
      items: row.items,
    })),
    stageHistory: stages.rows.map((row) => ({
      from: row.from_stage,
      to: row.to_stage,
      changedAt: row.changed_at,
    })),
  };
}
