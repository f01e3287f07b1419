/**
 * What the template editor needs beyond the template itself: real customers to preview for,
 * and the test send to the merchant.
 */
import { randomUUID } from "node:crypto";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { sendEmail, type SendResult } from "../send-email.server";
import { renderCustomerEmail, type RenderCustomerEmailInput } from "./render-customer-email.server";

export interface PreviewCustomer {
  id: string;
  /** Name and address as the merchant knows the customer. */
  label: string;
}

/** Customers the preview can be drawn for: the ones who ordered most recently. */
export async function previewCustomers(
  sql: SqlQueryable,
  shopId: number,
  limit = 50,
): Promise<PreviewCustomer[]> {
  const { rows } = await sql.query<{
    id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
  }>(
    `SELECT c.id::text, c.first_name, c.last_name, c.email
     FROM customer c
     JOIN LATERAL (SELECT max(o.processed_at) AS last_at FROM "order" o
                   WHERE o.shop_id = c.shop_id AND o.customer_id = c.id) o ON true
     WHERE c.shop_id = $1 AND c.deleted_at IS NULL AND c.redacted_at IS NULL
     ORDER BY o.last_at DESC NULLS LAST, c.id LIMIT $2`,
    [shopId, limit],
  );
  return rows.map((row) => {
    const name = [row.first_name, row.last_name].filter(Boolean).join(" ");
    return {
      id: row.id,
      label: [name, row.email].filter(Boolean).join(" · ") || `#${row.id}`,
    };
  });
}

/**
 * The email `customerId` would get, sent to the merchant (`to`) instead. The preview's sample
 * code stands in for a rule's real one. Throws what renderCustomerEmail and sendEmail throw.
 */
export async function sendTemplateTest(
  input: Omit<RenderCustomerEmailInput, "offer"> & { to: string },
): Promise<SendResult> {
  const rendered = await renderCustomerEmail({ ...input, offer: sampleOffer(input.now) });
  return sendEmail(input.sql, input.shopId, {
    to: input.to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId: `<rekindle-template-test-${randomUUID()}@rekindle.app>`,
    unsubscribeUrl: rendered.unsubscribeUrl,
  });
}

/** What the discount block shows in previews and tests: no real code is created for them. */
export function sampleOffer(now: Date) {
  return {
    code: "SAMPLE-CODE",
    discountText: "15% off your next order",
    expiresAt: new Date(now.getTime() + 14 * 86_400_000),
  };
}
