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
  } | null;
  favouriteProducts: Array<{ title: string; units: number }>;
  explanation: string[];
  orders: ProfileOrder[];
  stageHistory: Array<{ from: string | null; to: string; changedAt: string }>;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const TIMELINE_ORDERS = 50;

export async function getCustomerProfile(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  currency: string,
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
              to_char(m.predicted_next_order_at, ${ISO}) AS "predictedNextOrderAt"
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
    explanation: explainPredictions(stored, basis, currency),
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

/** The predictions in sentences a merchant can act on, with the basis they rest on. */
export function explainPredictions(
  metrics: CustomerProfile["metrics"],
  basis: { basis: string; reason: string } | undefined,
  currency: string,
): string[] {
  if (!metrics || metrics.ordersCount === 0 || metrics.probAlive === null) {
    return [
      "No purchases yet, so there is nothing to predict from. Predictions start with the first order.",
    ];
  }
  const money = new Intl.NumberFormat("en", { style: "currency", currency });
  const pct = Math.round(metrics.probAlive * 100);
  const sentences = [
    `${metrics.ordersCount} purchase${metrics.ordersCount === 1 ? "" : "s"}, the last ${metrics.daysSinceLastOrder} days ago` +
      (metrics.avgDaysBetweenOrders === null
        ? "."
        : `; they usually buy every ${Math.round(metrics.avgDaysBetweenOrders)} days.`),
    `There is a ${pct}% chance they are still an active customer` +
      (pct < 50 ? ": a long silence for how often they used to buy." : "."),
    `Expected orders: ${(metrics.expectedOrders90d ?? 0).toFixed(2)} in the next 90 days, ${(metrics.expectedOrders365d ?? 0).toFixed(2)} in the next year.`,
    `Predicted value of their future orders: ${money.format(metrics.predictedClv ?? 0)} (about ${money.format(metrics.expectedOrderValue ?? 0)} per order).`,
  ];
  if (metrics.predictedNextOrderAt) {
    sentences.push(`Next order expected around ${metrics.predictedNextOrderAt.slice(0, 10)}.`);
  }
  sentences.push(
    basis?.basis === "fitted"
      ? "Predictions come from a BG/NBD and Gamma-Gamma model fitted to your store's customers."
      : "Your store does not have enough repeat customers yet to fit its own model, so predictions use typical retail patterns (pooled prior) until it does.",
  );
  return sentences;
}
