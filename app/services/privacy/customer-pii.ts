/**
 * Where a customer's personal data lives and what customers/redact does to it, table by table.
 * The personal columns are the ones marked `/// @pii` in prisma/schema.prisma; a test reads the
 * schema and fails unless this plan names exactly those (so a new personal column cannot be
 * forgotten). The webhook inbox's bodies are redacted by redact-inbox.server.ts.
 *
 * `rows` picks the customer's rows with the request's values from `p`: p.shop_id,
 * p.customer_id, p.order_ids (those Shopify listed plus the customer's own) and p.email (the
 * address on file or in the request, for guest orders and checkouts).
 */

export interface ColumnRedaction {
  table: string;
  rows: string;
  /** Every personal column of the table and the SQL value that replaces it. */
  set: Readonly<Record<string, string>>;
  /** Bookkeeping written alongside (not personal data). */
  also?: Readonly<Record<string, string>>;
}

export interface RowDeletion {
  table: string;
  rows: string;
  /** The rows exist only because of the customer (an export of their data, their offers). */
  deleteRows: true;
}

export type TableRedaction = ColumnRedaction | RowDeletion;

const byEmail = "(p.email IS NOT NULL AND lower(t.email) = p.email)";

export const CUSTOMER_REDACTIONS: readonly TableRedaction[] = [
  {
    table: "customer",
    rows: "t.shop_id = p.shop_id AND t.id = p.customer_id",
    set: {
      email: "NULL",
      first_name: "NULL",
      last_name: "NULL",
      phone: "NULL",
      locale: "NULL",
      city: "NULL",
      province: "NULL",
      country_code: "NULL",
      tags: "'{}'",
    },
    also: {
      redacted_at: "now()",
      email_marketing: "'redacted'",
      sms_marketing: "'redacted'",
    },
  },
  {
    // Orders stay (without personal data): the merchant's revenue figures need them.
    table: "order",
    rows: `t.shop_id = p.shop_id AND (t.customer_id = p.customer_id OR t.id = ANY(p.order_ids) OR ${byEmail})`,
    set: { email: "NULL" },
    also: { redacted_at: "now()" },
  },
  {
    table: "checkout",
    rows: `t.shop_id = p.shop_id AND (t.customer_id = p.customer_id OR ${byEmail})`,
    set: { email: "NULL", recovery_url: "NULL" },
    also: { redacted_at: "now()" },
  },
  {
    // The link from storefront events to the shopper goes; the counts stay.
    table: "recommendation_event",
    rows: "t.shop_id = p.shop_id AND t.customer_id = p.customer_id",
    set: { customer_id: "NULL" },
  },
  {
    // The win-back audit log keeps what was done; a failure's reason may name the address.
    table: "winback_action",
    rows: "t.shop_id = p.shop_id AND t.customer_id = p.customer_id AND t.error IS NOT NULL",
    set: { error: "NULL" },
  },
  {
    // A flow's step record keeps what was done (the per-step counts); a failure's reason may
    // name the address. Steps hold no customer id: their run does.
    table: "message_flow_step",
    rows: `t.shop_id = p.shop_id AND t.error IS NOT NULL AND t.run_id IN (
             SELECT r.id FROM message_flow_run r
             WHERE r.shop_id = p.shop_id AND r.customer_id = p.customer_id)`,
    set: { error: "NULL" },
  },
  {
    table: "data_export",
    rows: "t.shop_id = p.shop_id AND t.customer_id = p.customer_id",
    deleteRows: true,
  },
  {
    // Their address on the shop's suppression list (bounce, complaint, unsubscribe). The
    // redacted customer has no address left to email, so nothing can reach them without it.
    table: "email_suppression",
    rows: `t.shop_id = p.shop_id AND (t.customer_id = p.customer_id OR ${byEmail})`,
    deleteRows: true,
  },
  {
    table: "customer_offer",
    rows: "t.shop_id = p.shop_id AND t.customer_id = p.customer_id",
    deleteRows: true,
  },
  {
    // Storefront browsing from the web pixel: the customer's events, and every event of the
    // browsers stitched to them (those sent before they signed in, or since without the pixel
    // naming them). Before pixel_visitor's rows, which name those browsers.
    table: "pixel_event",
    rows: `t.shop_id = p.shop_id AND (t.customer_id = p.customer_id OR t.client_id IN (
             SELECT v.client_id FROM pixel_visitor v
             WHERE v.shop_id = p.shop_id AND v.customer_id = p.customer_id))`,
    deleteRows: true,
  },
  {
    table: "pixel_visitor",
    rows: "t.shop_id = p.shop_id AND t.customer_id = p.customer_id",
    deleteRows: true,
  },
];

/** The values `p` carries into every statement. */
const PARAMS = `SELECT $1::int AS shop_id, $2::bigint AS customer_id, $3::bigint[] AS order_ids,
                       lower($4::text) AS email`;

/** The statement that applies one table's redaction; returns one row per row changed. */
export function redactionStatement(redaction: TableRedaction): string {
  const table = `"${redaction.table}"`;
  if ("deleteRows" in redaction) {
    return `WITH p AS (${PARAMS}) DELETE FROM ${table} t USING p WHERE ${redaction.rows} RETURNING 1`;
  }
  const assignments = Object.entries({ ...redaction.set, ...redaction.also })
    .map(([column, value]) => `"${column}" = ${value}`)
    .join(", ");
  return `WITH p AS (${PARAMS}) UPDATE ${table} t SET ${assignments} FROM p WHERE ${redaction.rows} RETURNING 1`;
}
