import { randomUUID } from "node:crypto";
import { getDatabase } from "~/db.server";

/** Puts a delivery straight into the inbox, as the webhook route would after verifying it. */
export async function enqueueWebhook(shopDomain: string, topic: string, body: string | object) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  await getDatabase().sql.query(
    `INSERT INTO webhook_inbox (shop_id, shop_domain, topic, webhook_id, payload)
     VALUES (coalesce((SELECT id FROM shop WHERE domain = $1), 0), $1, $2, $3, $4)`,
    [shopDomain, topic, randomUUID(), payload],
  );
}

export async function inboxStatuses() {
  const { rows } = await getDatabase().sql.query<{
    topic: string;
    status: string;
    last_error: string | null;
  }>(`SELECT topic, status, last_error FROM webhook_inbox ORDER BY id`);
  return rows;
}

export function customerBody(
  id: string,
  updatedAt: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    id: Number(id),
    email: `c${id}@example.com`,
    first_name: "Ada",
    last_name: `Lovelace${id}`,
    phone: null,
    state: "enabled",
    tags: "vip, newsletter",
    email_marketing_consent: {
      state: "subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: updatedAt,
    },
    verified_email: true,
    tax_exempt: false,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: updatedAt,
    default_address: { country_code: "TR", province: "Istanbul", city: "Istanbul" },
    ...overrides,
  };
}

export function orderBody(
  id: string,
  updatedAt: string,
  options: {
    customerId?: string | null;
    lines?: Array<{ id: string; productId: string; quantity: number; price: string }>;
    refunds?: unknown[];
    cancelledAt?: string | null;
  } = {},
) {
  const lines = options.lines ?? [{ id: `${id}1`, productId: "501", quantity: 2, price: "10.00" }];
  const subtotal = lines
    .reduce((sum, line) => sum + line.quantity * Number(line.price), 0)
    .toFixed(2);
  return {
    id: Number(id),
    name: `#${id}`,
    email: "buyer@example.com",
    currency: "EUR",
    total_price: subtotal,
    subtotal_price: subtotal,
    total_discounts: "0.00",
    total_tax: "0.00",
    financial_status: "paid",
    fulfillment_status: null,
    discount_codes: [],
    tags: "",
    source_name: "web",
    test: false,
    processed_at: "2026-01-10T12:00:00Z",
    cancelled_at: options.cancelledAt ?? null,
    cancel_reason: null,
    created_at: "2026-01-10T12:00:00Z",
    updated_at: updatedAt,
    customer: options.customerId === null ? null : { id: Number(options.customerId ?? "1") },
    line_items: lines.map((line) => ({
      id: Number(line.id),
      product_id: Number(line.productId),
      variant_id: null,
      title: `Product ${line.productId}`,
      variant_title: null,
      sku: null,
      quantity: line.quantity,
      price: line.price,
      total_discount: "0.00",
      gift_card: false,
    })),
    refunds: options.refunds ?? [],
  };
}

export function refundBody(id: string, orderId: string, lineItemId: string, amount: string) {
  return {
    id: Number(id),
    order_id: Number(orderId),
    created_at: "2026-01-12T12:00:00Z",
    refund_line_items: [
      { id: Number(`${id}9`), line_item_id: Number(lineItemId), quantity: 1, subtotal: amount },
    ],
    transactions: [{ amount, kind: "refund", status: "success" }],
  };
}
