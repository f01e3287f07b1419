/**
 * customers/redact on the webhook inbox, in every status: pending, being processed, failed,
 * dead letters and done. A delivery about the customer
 * - that was applied already, or that is a record of the customer themselves (customers/*,
 *   the compliance requests naming them included), keeps only a marker; an unapplied customer
 *   record is closed as done, since applying it would bring the erased data back;
 * - that is an order, checkout or refund not applied yet loses its personal fields and keeps
 *   the rest, so the merchant's revenue still arrives.
 * Its last error goes too (an error message can quote the body).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { parseJsonExact } from "~/lib/parse-json-exact";

export const REDACTED_PAYLOAD = '{"redacted":true}';

/** The inbox columns this module redacts (the schema marks them `/// @pii`). */
export const INBOX_PII_COLUMNS = ["payload", "last_error"] as const;

export interface InboxRedaction {
  shopDomain: string;
  customerId: string;
  /** The orders Shopify listed and the customer's own. */
  orderIds: readonly string[];
  /** Lower-cased, when known: guest orders and checkouts carry only the address. */
  email: string | null;
}

/** Keys whose values are personal wherever they appear in a Shopify body. */
const PERSONAL_KEYS = new Set([
  "email",
  "contact_email",
  "phone",
  "first_name",
  "last_name",
  "billing_address",
  "shipping_address",
  "default_address",
  "addresses",
  "browser_ip",
  "client_details",
  "note",
  "note_attributes",
  "abandoned_checkout_url",
  "customer_locale",
  "landing_site",
  "referring_site",
  "sms_marketing_phone",
]);

/** Returns how many deliveries were changed. */
export async function redactInboxDeliveries(
  sql: SqlQueryable,
  request: InboxRedaction,
): Promise<number> {
  // A cheap text search narrows the inbox down; each candidate's body then decides.
  const needles = [
    request.customerId,
    ...request.orderIds,
    ...(request.email ? [request.email] : []),
  ];
  // Deliveries that arrived before the shop was known are kept under shop 0 with its domain.
  const { rows } = await sql.query<{
    shop_id: number;
    id: string;
    topic: string;
    status: string;
    payload: string;
  }>(
    `SELECT shop_id, id::text, topic, status, payload FROM webhook_inbox
     WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1
       AND payload <> $2
       AND EXISTS (SELECT 1 FROM unnest($3::text[]) AS n(needle)
                   WHERE strpos(lower(payload), n.needle) > 0
                      OR strpos(lower(coalesce(last_error, '')), n.needle) > 0)`,
    [request.shopDomain, REDACTED_PAYLOAD, needles],
  );
  let changed = 0;
  for (const row of rows) {
    const redacted = redactDelivery(row, request);
    if (!redacted) continue;
    await sql.query(
      `UPDATE webhook_inbox SET payload = $2, last_error = NULL,
         status = CASE WHEN $3 THEN 'done' ELSE status END,
         processed_at = CASE WHEN $3 THEN coalesce(processed_at, now()) ELSE processed_at END,
         locked_until = CASE WHEN $3 THEN NULL ELSE locked_until END
       WHERE shop_id = $4 AND id = $1`,
      [row.id, redacted.payload, redacted.close, row.shop_id],
    );
    changed += 1;
  }
  return changed;
}

interface Redacted {
  payload: string;
  /** Close the delivery as done: there is nothing left to apply. */
  close: boolean;
}

function redactDelivery(
  row: { topic: string; status: string; payload: string },
  request: InboxRedaction,
): Redacted | null {
  let body: unknown;
  try {
    body = parseJsonExact(row.payload);
  } catch {
    // A malformed body (a dead letter) can never apply: it goes if it mentions the customer.
    const mentions = new RegExp(`(^|\\D)${request.customerId}(\\D|$)`).test(row.payload);
    const hasEmail = request.email !== null && row.payload.toLowerCase().includes(request.email);
    return mentions || hasEmail ? { payload: REDACTED_PAYLOAD, close: false } : null;
  }
  if (!isRecord(body) || !concernsCustomer(row.topic, body, request)) return null;
  const isCustomerRecord = row.topic.startsWith("customers/");
  if (row.status === "done" || isCustomerRecord) {
    return { payload: REDACTED_PAYLOAD, close: row.status !== "done" };
  }
  return { payload: JSON.stringify(withoutPersonalFields(body)), close: false };
}

function concernsCustomer(
  topic: string,
  body: Record<string, unknown>,
  request: InboxRedaction,
): boolean {
  const customer = isRecord(body.customer) ? body.customer : {};
  const isCustomer = String(customer.id) === request.customerId;
  const emails = [body.email, body.contact_email, customer.email];
  const hasEmail =
    request.email !== null &&
    emails.some((email) => typeof email === "string" && email.toLowerCase() === request.email);
  if (topic.startsWith("customers/")) {
    return String(body.id) === request.customerId || isCustomer || hasEmail;
  }
  if (topic.startsWith("orders/")) {
    return isCustomer || hasEmail || request.orderIds.includes(String(body.id));
  }
  if (topic.startsWith("checkouts/")) return isCustomer || hasEmail;
  if (topic.startsWith("refunds/")) return request.orderIds.includes(String(body.order_id));
  return false;
}

/** The body without personal fields; the customer object keeps only its id. */
function withoutPersonalFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPersonalFields);
  if (!isRecord(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(key)) continue;
    kept[key] =
      key === "customer" && isRecord(field) ? { id: field.id } : withoutPersonalFields(field);
  }
  return kept;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
