import { z } from "zod/v4";
import type {
  CheckoutRecord,
  CustomerRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  TombstoneRecord,
} from "./records";

// Webhook bodies are Shopify's REST JSON, parsed with parseJsonExact (ids as digit strings).
// The schemas accept what Shopify sends and reject what would corrupt a row; fields that are
// not needed pass through unchecked.

const id = z
  .union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));
const optionalId = id.nullish().transform((v) => v ?? null);
const timestamp = z
  .string()
  .datetime({ offset: true })
  .transform((v) => new Date(v));
const optionalTimestamp = timestamp.nullish().transform((v) => v ?? null);
const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal amount"));
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
/** Shopify sends tags as one comma-separated string. */
const tagList = z
  .string()
  .nullish()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  );
const count = z.number().int().min(0).max(1_000_000);

const consent = z
  .object({ state: z.string(), consent_updated_at: optionalTimestamp.optional() })
  .nullish();

const customerBody = z.object({
  id,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  locale: text.optional(),
  state: text,
  tags: z.string().nullish(),
  email_marketing_consent: consent,
  sms_marketing_consent: consent,
  verified_email: z.boolean().nullish(),
  tax_exempt: z.boolean().nullish(),
  created_at: timestamp,
  updated_at: timestamp,
  default_address: z.object({ country_code: text, province: text, city: text }).nullish(),
});

export function customerFromRest(body: unknown): CustomerRecord {
  const c = customerBody.parse(body);
  return {
    id: c.id,
    email: c.email,
    firstName: c.first_name,
    lastName: c.last_name,
    phone: c.phone,
    locale: c.locale ?? null,
    state: c.state,
    tags: c.tags === undefined ? undefined : tagList.parse(c.tags),
    emailMarketing: c.email_marketing_consent?.state.toLowerCase(),
    emailMarketingUpdatedAt: c.email_marketing_consent
      ? (c.email_marketing_consent.consent_updated_at ?? null)
      : undefined,
    smsMarketing: c.sms_marketing_consent?.state.toLowerCase(),
    countryCode: c.default_address?.country_code ?? null,
    province: c.default_address?.province ?? null,
    city: c.default_address?.city ?? null,
    verifiedEmail: c.verified_email ?? false,
    taxExempt: c.tax_exempt ?? false,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

const tombstoneBody = z.object({ id });

export function tombstoneFromRest(body: unknown, deletedAt: Date): TombstoneRecord {
  return { id: tombstoneBody.parse(body).id, deletedAt };
}

const refundBody = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z
    .array(z.object({ id, line_item_id: id, quantity: count, subtotal: money.nullish() }))
    .default([]),
  transactions: z
    .array(z.object({ amount: money, kind: z.string(), status: z.string().nullish() }))
    .default([]),
});

export function refundFromRest(body: unknown): RefundRecord {
  const r = refundBody.parse(body);
  const refundTransactions = r.transactions.filter(
    (t) => t.kind === "refund" && (t.status ?? "success") === "success",
  );
  // The money actually returned; when Shopify reports no transaction (e.g. a restock-only
  // refund) the refunded line subtotals are the best measure.
  const amount =
    refundTransactions.length > 0
      ? sumMoney(refundTransactions.map((t) => t.amount))
      : sumMoney(r.refund_line_items.map((line) => line.subtotal ?? "0"));
  return {
    id: r.id,
    orderId: r.order_id,
    amount,
    createdAt: r.created_at,
    lines: r.refund_line_items.map((line) => ({
      id: line.id,
      lineItemId: line.line_item_id,
      quantity: line.quantity,
      subtotal: line.subtotal ?? "0",
    })),
  };
}

const orderBody = z.object({
  id,
  name: z.string(),
  email: text,
  currency: z.string().length(3),
  total_price: money,
  subtotal_price: money.nullish(),
  total_discounts: money.nullish(),
  total_tax: money.nullish(),
  financial_status: text,
  fulfillment_status: text,
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  tags: z.string().nullish(),
  source_name: text,
  test: z.boolean().nullish(),
  processed_at: optionalTimestamp,
  cancelled_at: optionalTimestamp,
  cancel_reason: text,
  created_at: timestamp,
  updated_at: timestamp,
  customer: z.object({ id }).nullish(),
  line_items: z
    .array(
      z.object({
        id,
        product_id: optionalId,
        variant_id: optionalId,
        title: z.string(),
        variant_title: text,
        sku: text,
        quantity: count,
        price: money,
        total_discount: money.nullish(),
        gift_card: z.boolean().nullish(),
      }),
    )
    .default([]),
  refunds: z.array(z.unknown()).optional(),
});

export function orderFromRest(body: unknown): OrderRecord {
  const o = orderBody.parse(body);
  return {
    id: o.id,
    customerId: o.customer?.id ?? null,
    name: o.name,
    email: o.email,
    currency: o.currency,
    totalPrice: o.total_price,
    subtotalPrice: o.subtotal_price ?? o.total_price,
    totalDiscounts: o.total_discounts ?? "0",
    totalTax: o.total_tax ?? "0",
    financialStatus: o.financial_status,
    fulfillmentStatus: fulfillmentStatusFromRest(o.fulfillment_status),
    discountCodes: o.discount_codes.map((d) => d.code),
    tags: tagList.parse(o.tags),
    sourceName: o.source_name,
    test: o.test ?? false,
    processedAt: o.processed_at ?? o.created_at,
    cancelledAt: o.cancelled_at,
    cancelReason: o.cancel_reason,
    createdAt: o.created_at,
    updatedAt: o.updated_at,
    lines: o.line_items.map((line) => ({
      id: line.id,
      productId: line.product_id,
      variantId: line.variant_id,
      title: line.title,
      variantTitle: line.variant_title,
      sku: line.sku,
      quantity: line.quantity,
      price: line.price,
      totalDiscount: line.total_discount ?? "0",
      giftCard: line.gift_card ?? false,
    })),
    refunds: o.refunds?.map(refundFromRest),
  };
}

/**
 * REST reports an unfulfilled order as `null` and a partial one as "partial"; GraphQL (the
 * backfill and reconciliation) says UNFULFILLED / PARTIALLY_FULFILLED. Stored in the GraphQL
 * vocabulary so a row reads the same whichever path wrote it.
 */
function fulfillmentStatusFromRest(status: string | null): string {
  if (status === null) return "unfulfilled";
  return status === "partial" ? "partially_fulfilled" : status;
}

const productBody = z.object({
  id,
  title: z.string(),
  handle: z.string(),
  status: z.string().default("active"),
  product_type: text,
  vendor: text,
  tags: z.string().nullish(),
  // Shopify's own sample leaves created_at empty; fall back to updated_at then.
  created_at: optionalTimestamp,
  updated_at: timestamp,
  published_at: optionalTimestamp,
  image: z.object({ src: z.string() }).nullish(),
  variants: z
    .array(
      z.object({
        id,
        title: z.string(),
        sku: text,
        price: money,
        compare_at_price: money.nullish(),
        inventory_quantity: z.number().int().nullish(),
        inventory_management: text.optional(),
      }),
    )
    .default([]),
});

export function productFromRest(body: unknown): ProductRecord {
  const p = productBody.parse(body);
  const tracked = p.variants.filter((v) => v.inventory_management != null);
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    status: p.status.toLowerCase(),
    productType: p.product_type,
    vendor: p.vendor,
    tags: tagList.parse(p.tags),
    imageUrl: p.image?.src ?? null,
    totalInventory:
      tracked.length > 0 ? tracked.reduce((sum, v) => sum + (v.inventory_quantity ?? 0), 0) : null,
    createdAt: p.created_at ?? p.updated_at,
    publishedAt: p.published_at,
    updatedAt: p.updated_at,
    variants: p.variants.map((v) => ({
      id: v.id,
      title: v.title,
      sku: v.sku,
      price: v.price,
      compareAtPrice: v.compare_at_price ?? null,
      inventoryQuantity: v.inventory_quantity ?? null,
      availableForSale: v.inventory_management == null || (v.inventory_quantity ?? 0) > 0,
    })),
  };
}

const checkoutBody = z.object({
  id,
  token: z.string(),
  email: text,
  currency: z.string().length(3),
  total_price: money,
  abandoned_checkout_url: text,
  created_at: timestamp,
  updated_at: timestamp,
  completed_at: optionalTimestamp,
  customer: z.object({ id }).nullish(),
});

export function checkoutFromRest(body: unknown): CheckoutRecord {
  const c = checkoutBody.parse(body);
  return {
    id: c.id,
    token: c.token,
    customerId: c.customer?.id ?? null,
    email: c.email,
    currency: c.currency,
    totalPrice: c.total_price,
    recoveryUrl: c.abandoned_checkout_url,
    createdAt: c.created_at,
    completedAt: c.completed_at,
    updatedAt: c.updated_at,
  };
}

/** Exact decimal sum (amounts have at most 4 decimals; bigint arithmetic avoids float error). */
export function sumMoney(amounts: readonly string[]): string {
  const SCALE = 10_000n;
  let total = 0n;
  for (const amount of amounts) {
    const negative = amount.startsWith("-");
    const [whole = "0", fraction = ""] = amount.replace("-", "").split(".");
    const units = BigInt(whole) * SCALE + BigInt((fraction + "0000").slice(0, 4));
    total += negative ? -units : units;
  }
  const sign = total < 0n ? "-" : "";
  const abs = total < 0n ? -total : total;
  return `${sign}${abs / SCALE}.${(abs % SCALE).toString().padStart(4, "0")}`;
}
