/**
 * The catalog of everything a segment expression can name. It is plain data: the SQL
 * column behind each field lives here and nowhere else, so a renamed column is a one-line
 * change. Expressions assume `c` is the `customer` row and `m` its `customer_metrics` row
 * (LEFT JOINed by the caller on shop_id and customer_id, so every metric may be NULL).
 */
import { LIFECYCLE_STAGES } from "~/services/analytics/models/lifecycle";
import { RFM_SEGMENTS } from "~/services/analytics/models/rfm";

export type FieldType = "number" | "money" | "string" | "enum" | "date" | "boolean" | "string_list";

/** The PostgreSQL type of the column, used to cast parameters so comparisons stay typed. */
export type SqlType = "integer" | "numeric" | "text" | "timestamp" | "boolean" | "text[]";

interface FieldBase {
  name: string;
  label: string;
  /** A column expression over the aliases `c` and `m`; never built from input. */
  sql: string;
  sqlType: SqlType;
  nullable: boolean;
}

export interface NumberField extends FieldBase {
  type: "number" | "money";
  integer: boolean;
  /** Values outside the range can never match, so writing them is a mistake. */
  range?: { min: number; max: number };
}

export interface EnumField extends FieldBase {
  type: "enum";
  values: readonly string[];
}

export interface PlainField extends FieldBase {
  type: "string" | "date" | "boolean" | "string_list";
}

export type FieldDefinition = NumberField | EnumField | PlainField;

const MARKETING_CONSENT = [
  "subscribed",
  "not_subscribed",
  "unsubscribed",
  "pending",
  "redacted",
  "invalid",
] as const;

const SCORE_RANGE = { min: 1, max: 5 };

export const SEGMENT_FIELDS: readonly FieldDefinition[] = [
  {
    name: "email",
    label: "Email",
    type: "string",
    sql: "c.email",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "first_name",
    label: "First name",
    type: "string",
    sql: "c.first_name",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "last_name",
    label: "Last name",
    type: "string",
    sql: "c.last_name",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "country_code",
    label: "Country code",
    type: "string",
    sql: "c.country_code",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "province",
    label: "Province",
    type: "string",
    sql: "c.province",
    sqlType: "text",
    nullable: true,
  },
  { name: "city", label: "City", type: "string", sql: "c.city", sqlType: "text", nullable: true },
  {
    name: "tags",
    label: "Tags",
    type: "string_list",
    sql: "c.tags",
    sqlType: "text[]",
    nullable: false,
  },
  {
    name: "email_marketing",
    label: "Email marketing consent",
    type: "enum",
    values: MARKETING_CONSENT,
    sql: "c.email_marketing",
    sqlType: "text",
    nullable: false,
  },
  {
    name: "sms_marketing",
    label: "SMS marketing consent",
    type: "enum",
    values: MARKETING_CONSENT,
    sql: "c.sms_marketing",
    sqlType: "text",
    nullable: false,
  },
  {
    name: "created_at",
    label: "Customer since",
    type: "date",
    sql: "c.created_at",
    sqlType: "timestamp",
    nullable: false,
  },
  {
    name: "verified_email",
    label: "Verified email",
    type: "boolean",
    sql: "c.verified_email",
    sqlType: "boolean",
    nullable: false,
  },
  {
    name: "orders_count",
    label: "Orders",
    type: "number",
    integer: true,
    sql: "m.orders_count",
    sqlType: "integer",
    nullable: true,
  },
  {
    name: "net_revenue",
    label: "Net revenue",
    type: "money",
    integer: false,
    sql: "m.net_revenue",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "aov",
    label: "Average order value",
    type: "money",
    integer: false,
    sql: "m.aov",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "first_order_at",
    label: "First order",
    type: "date",
    sql: "m.first_order_at",
    sqlType: "timestamp",
    nullable: true,
  },
  {
    name: "last_order_at",
    label: "Last order",
    type: "date",
    sql: "m.last_order_at",
    sqlType: "timestamp",
    nullable: true,
  },
  {
    name: "days_since_last_order",
    label: "Days since last order",
    type: "number",
    integer: true,
    sql: "m.days_since_last_order",
    sqlType: "integer",
    nullable: true,
  },
  {
    name: "avg_days_between_orders",
    label: "Average days between orders",
    type: "number",
    integer: false,
    sql: "m.avg_days_between_orders",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "r_score",
    label: "Recency score",
    type: "number",
    integer: true,
    range: SCORE_RANGE,
    sql: "m.r_score",
    sqlType: "integer",
    nullable: true,
  },
  {
    name: "f_score",
    label: "Frequency score",
    type: "number",
    integer: true,
    range: SCORE_RANGE,
    sql: "m.f_score",
    sqlType: "integer",
    nullable: true,
  },
  {
    name: "m_score",
    label: "Monetary score",
    type: "number",
    integer: true,
    range: SCORE_RANGE,
    sql: "m.m_score",
    sqlType: "integer",
    nullable: true,
  },
  {
    name: "rfm_segment",
    label: "RFM segment",
    type: "enum",
    values: RFM_SEGMENTS,
    sql: "m.rfm_segment",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "lifecycle_stage",
    label: "Lifecycle stage",
    type: "enum",
    values: LIFECYCLE_STAGES,
    sql: "m.lifecycle_stage",
    sqlType: "text",
    nullable: true,
  },
  {
    name: "prob_alive",
    label: "Probability still active",
    type: "number",
    integer: false,
    range: { min: 0, max: 1 },
    sql: "m.prob_alive",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "predicted_clv",
    label: "Predicted lifetime value",
    type: "money",
    integer: false,
    sql: "m.predicted_clv",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "expected_orders_90d",
    label: "Expected orders in 90 days",
    type: "number",
    integer: false,
    sql: "m.expected_orders_90d",
    sqlType: "numeric",
    nullable: true,
  },
  {
    name: "predicted_next_order_at",
    label: "Predicted next order",
    type: "date",
    sql: "m.predicted_next_order_at",
    sqlType: "timestamp",
    nullable: true,
  },
];

/** What a function argument must be; the checker enforces it, the compiler casts to it. */
export type ArgumentType =
  /** A Shopify id: a positive whole number up to 2^63 - 1, kept as text (beyond 2^53). */
  | { kind: "id"; sqlType: "bigint" }
  | { kind: "whole_number"; min: number; max: number; sqlType: "integer" };

export interface FunctionDefinition {
  name: string;
  label: string;
  parameters: ReadonlyArray<{ name: string; type: ArgumentType }>;
  /** Named, optional parameters written as `name: value`. */
  options: ReadonlyArray<{ name: string; type: ArgumentType }>;
  /**
   * The boolean SQL, given a placeholder (e.g. `$3::bigint`) for each argument that was
   * written. It must never be NULL: callers rely on two-valued conditions.
   */
  sql: (placeholders: Readonly<Record<string, string | undefined>>) => string;
}

const WITHIN_DAYS = {
  name: "within_days",
  type: { kind: "whole_number", min: 1, max: 36500, sqlType: "integer" },
} as const;

/**
 * A customer's uncancelled orders with a line matching `lineCondition` (over `ol`, and `cp`
 * when `join` brings it), optionally only those processed within the last `withinDays` days.
 */
function boughtSql(lineCondition: string, join: string, withinDays: string | undefined): string {
  return (
    [
      'EXISTS (SELECT 1 FROM order_line ol JOIN "order" o ON o.shop_id = ol.shop_id AND o.id = ol.order_id',
      join,
      `WHERE o.shop_id = c.shop_id AND o.customer_id = c.id AND o.cancelled_at IS NULL AND ${lineCondition}`,
      // processed_at is a UTC timestamp without zone, so compare against UTC "now".
      withinDays
        ? `AND o.processed_at >= (now() AT TIME ZONE 'UTC') - make_interval(days => ${withinDays})`
        : "",
    ]
      .filter(Boolean)
      .join(" ") + ")"
  );
}

export const SEGMENT_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: "has_purchased_product",
    label: "Has purchased product",
    parameters: [{ name: "product_id", type: { kind: "id", sqlType: "bigint" } }],
    options: [WITHIN_DAYS],
    sql: ({ product_id: productId, within_days: withinDays }) =>
      boughtSql(`ol.product_id = ${productId}`, "", withinDays),
  },
  {
    // A product counts when it is in the collection now (custom or smart alike): the shop's
    // synced membership, not what it was on the day of the order.
    name: "has_purchased_from_collection",
    label: "Has purchased from a collection",
    parameters: [{ name: "collection_id", type: { kind: "id", sqlType: "bigint" } }],
    options: [WITHIN_DAYS],
    sql: ({ collection_id: collectionId, within_days: withinDays }) =>
      boughtSql(
        `cp.collection_id = ${collectionId}`,
        "JOIN collection_product cp ON cp.shop_id = ol.shop_id AND cp.product_id = ol.product_id",
        withinDays,
      ),
  },
];

const FIELDS_BY_NAME: ReadonlyMap<string, FieldDefinition> = new Map(
  SEGMENT_FIELDS.map((field) => [field.name, field]),
);
const FUNCTIONS_BY_NAME: ReadonlyMap<string, FunctionDefinition> = new Map(
  SEGMENT_FUNCTIONS.map((definition) => [definition.name, definition]),
);

/** A Map lookup, so names like `constructor` or `__proto__` never resolve to anything. */
export function findField(name: string): FieldDefinition | undefined {
  return FIELDS_BY_NAME.get(name);
}

export function findFunction(name: string): FunctionDefinition | undefined {
  return FUNCTIONS_BY_NAME.get(name);
}
