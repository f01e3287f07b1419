import { BodyReader, type FieldWarning } from "./body-reader";
import type {
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  TombstoneRecord,
  VariantRecord,
} from "./records";

// Webhook bodies are Shopify's REST JSON, parsed with parseJsonExact (ids as digit strings).
// Fields are read tolerantly (BodyReader): unknown fields are ignored, nulls are absent values,
// and a malformed optional field is dropped with a warning; only a missing or unusable id (or
// a malformed link the record depends on) makes the record unusable. Where a row needs a value
// that was dropped, the nearest truthful substitute is used (updated_at → when Shopify reported
// the event; created_at → updated_at).

export interface RestParseContext {
  /** When Shopify reported the event: stands in for a missing or unreadable updated_at. */
  reportedAt: Date;
  /** Fields dropped while reading, for the caller to log. */
  warnings: FieldWarning[];
}

const freshContext = (): RestParseContext => ({ reportedAt: new Date(), warnings: [] });

/** Lower-cased (REST and GraphQL spell enums differently); null when absent. */
const lower = (value: string | null) => value?.toLowerCase() ?? null;

function marketingConsent(customer: BodyReader, key: string, label: string) {
  if (!customer.has(key)) return undefined;
  const consent = customer.object(key, label);
  const state = consent?.text("state", "state");
  if (!consent || !state) return undefined;
  return { state: state.toLowerCase(), updatedAt: consent.timestamp("consent_updated_at", "date") };
}

export function customerFromRest(body: unknown, context = freshContext()): CustomerRecord {
  const c = BodyReader.of(body, "customer", context.warnings);
  const id = c.requiredId("id");
  const email = marketingConsent(c, "email_marketing_consent", "email marketing consent");
  const address = c.object("default_address", "default address");
  const updatedAt = c.timestamp("updated_at", "updated date") ?? context.reportedAt;
  return {
    id,
    email: c.text("email", "email"),
    firstName: c.text("first_name", "first name"),
    lastName: c.text("last_name", "last name"),
    phone: c.text("phone", "phone"),
    locale: c.text("locale", "language"),
    state: c.text("state", "account state"),
    tags: c.tags("tags"),
    emailMarketing: email?.state,
    emailMarketingUpdatedAt: email ? email.updatedAt : undefined,
    smsMarketing: marketingConsent(c, "sms_marketing_consent", "SMS marketing consent")?.state,
    countryCode: address?.text("country_code", "country") ?? null,
    province: address?.text("province", "province") ?? null,
    city: address?.text("city", "city") ?? null,
    verifiedEmail: c.flag("verified_email", "email verified") ?? false,
    taxExempt: c.flag("tax_exempt", "tax exemption") ?? false,
    createdAt: c.timestamp("created_at", "created date") ?? updatedAt,
    updatedAt,
  };
}

export function tombstoneFromRest(body: unknown, deletedAt: Date): TombstoneRecord {
  return { id: BodyReader.of(body, "deleted record", []).requiredId("id"), deletedAt };
}

export function refundFromRest(body: unknown, context = freshContext()): RefundRecord {
  const r = BodyReader.of(body, "refund", context.warnings);
  return readRefund(r, r.requiredId("order_id", "order id"), context);
}

function readRefund(r: BodyReader, orderId: bigint, context: RestParseContext): RefundRecord {
  const id = r.requiredId("id");
  const lines = BodyReader.eachUnique(
    r.list("refund_line_items", "refunded item") ?? [],
    (line) => ({
      id: line.requiredId("id"),
      lineItemId: line.requiredId("line_item_id", "line item id"),
      quantity: line.count("quantity", "quantity") ?? 0,
      subtotal: line.money("subtotal", "subtotal") ?? "0",
    }),
  );
  const refundTransactions = (r.list("transactions", "transaction") ?? []).flatMap((t) => {
    const amount = t.money("amount", "amount");
    const kind = t.text("kind", "kind");
    const status = t.text("status", "status") ?? "success";
    return amount !== null && kind === "refund" && status === "success" ? [amount] : [];
  });
  // The money actually returned; when Shopify reports no transaction (e.g. a restock-only
  // refund) the refunded line subtotals are the best measure.
  const amount =
    refundTransactions.length > 0
      ? sumMoney(refundTransactions)
      : sumMoney(lines.map((line) => line.subtotal));
  return {
    id,
    orderId,
    amount,
    createdAt:
      r.timestamp("created_at", "date") ??
      r.timestamp("processed_at", "processed date") ??
      context.reportedAt,
    lines,
  };
}

function readOrderLine(line: BodyReader): OrderLineRecord {
  return {
    id: line.requiredId("id"),
    productId: line.id("product_id", "product id"),
    variantId: line.id("variant_id", "variant id"),
    title: line.text("title", "title") ?? "",
    variantTitle: line.text("variant_title", "variant title"),
    sku: line.text("sku", "SKU"),
    quantity: line.count("quantity", "quantity") ?? 0,
    price: line.money("price", "price") ?? "0",
    totalDiscount: line.money("total_discount", "discount") ?? "0",
    giftCard: line.flag("gift_card", "gift card") ?? false,
  };
}

export function orderFromRest(body: unknown, context = freshContext()): OrderRecord {
  const o = BodyReader.of(body, "order", context.warnings);
  const id = o.requiredId("id");
  const customer = o.requiredObjectWhenPresent("customer", "customer");
  const updatedAt = o.timestamp("updated_at", "updated date") ?? context.reportedAt;
  const createdAt =
    o.timestamp("created_at", "created date") ??
    o.timestamp("processed_at", "processed date") ??
    updatedAt;
  const totalPrice = o.money("total_price", "total") ?? "0";
  const refunds = o.list("refunds", "refund");
  return {
    id,
    customerId: customer?.requiredId("id") ?? null,
    name: o.text("name", "name") ?? "",
    email: o.text("email", "email"),
    currency: o.currency("currency"),
    totalPrice,
    subtotalPrice: o.money("subtotal_price", "subtotal") ?? totalPrice,
    totalDiscounts: o.money("total_discounts", "discounts") ?? "0",
    totalTax: o.money("total_tax", "tax") ?? "0",
    financialStatus: o.text("financial_status", "payment status"),
    fulfillmentStatus: fulfillmentStatusFromRest(
      o.text("fulfillment_status", "fulfillment status"),
    ),
    discountCodes: (o.list("discount_codes", "discount code") ?? []).flatMap((d) => {
      const code = d.text("code", "code");
      return code === null ? [] : [code];
    }),
    tags: o.tags("tags") ?? [],
    sourceName: o.text("source_name", "sales channel"),
    test: o.flag("test", "test flag") ?? false,
    processedAt: o.timestamp("processed_at", "processed date") ?? createdAt,
    cancelledAt: o.timestamp("cancelled_at", "cancelled date"),
    cancelReason: o.text("cancel_reason", "cancel reason"),
    createdAt,
    updatedAt,
    lines: BodyReader.eachUnique(o.list("line_items", "line item") ?? [], readOrderLine),
    refunds: refunds
      ? BodyReader.eachUnique(refunds, (refund) => readRefund(refund, id, context))
      : undefined,
  };
}

/**
 * REST reports an unfulfilled order as `null` and a partial one as "partial"; GraphQL (the
 * backfill and reconciliation) says UNFULFILLED / PARTIALLY_FULFILLED. Stored in the GraphQL
 * vocabulary so a row reads the same whichever path wrote it.
 */
function fulfillmentStatusFromRest(status: string | null): string {
  if (status === null) return "unfulfilled";
  const lowered = status.toLowerCase();
  return lowered === "partial" ? "partially_fulfilled" : lowered;
}

function readVariant(v: BodyReader): VariantRecord & { tracked: boolean } {
  const inventoryQuantity = v.integer("inventory_quantity", "stock");
  const tracked = v.text("inventory_management", "stock tracking") !== null;
  return {
    id: v.requiredId("id"),
    title: v.text("title", "title") ?? "",
    sku: v.text("sku", "SKU"),
    price: v.money("price", "price") ?? "0",
    compareAtPrice: v.money("compare_at_price", "compare-at price"),
    inventoryQuantity,
    availableForSale: !tracked || (inventoryQuantity ?? 0) > 0,
    tracked,
  };
}

export function productFromRest(body: unknown, context = freshContext()): ProductRecord {
  const p = BodyReader.of(body, "product", context.warnings);
  const id = p.requiredId("id");
  const updatedAt = p.timestamp("updated_at", "updated date") ?? context.reportedAt;
  const variants = BodyReader.each(p.list("variants", "variant") ?? [], readVariant);
  const tracked = variants.filter((v) => v.tracked);
  return {
    id,
    title: p.text("title", "title") ?? "",
    handle: p.text("handle", "handle") ?? "",
    status: lower(p.text("status", "status")) ?? "active",
    productType: p.text("product_type", "product type"),
    vendor: p.text("vendor", "vendor"),
    tags: p.tags("tags") ?? [],
    imageUrl: p.object("image", "image")?.text("src", "image address") ?? null,
    totalInventory:
      tracked.length > 0 ? tracked.reduce((sum, v) => sum + (v.inventoryQuantity ?? 0), 0) : null,
    // Shopify's own sample leaves created_at empty; fall back to updated_at then.
    createdAt: p.timestamp("created_at", "created date") ?? updatedAt,
    publishedAt: p.timestamp("published_at", "published date"),
    updatedAt,
    variants: variants.map(({ tracked: _tracked, ...variant }) => variant),
  };
}

/**
 * collections/create and collections/update: the collection itself. Their bodies list no
 * products, so membership is read from the Admin API afterwards (collection-members).
 */
export function collectionFromRest(body: unknown, context = freshContext()): CollectionRecord {
  const c = BodyReader.of(body, "collection", context.warnings);
  const id = c.requiredId("id");
  return {
    id,
    title: c.text("title", "title") ?? "",
    handle: c.text("handle", "handle") ?? "",
    updatedAt: c.timestamp("updated_at", "updated date") ?? context.reportedAt,
  };
}

export function checkoutFromRest(body: unknown, context = freshContext()): CheckoutRecord {
  const c = BodyReader.of(body, "checkout", context.warnings);
  const id = c.requiredId("id");
  const customer = c.requiredObjectWhenPresent("customer", "customer");
  const updatedAt = c.timestamp("updated_at", "updated date") ?? context.reportedAt;
  return {
    id,
    token: c.text("token", "token") ?? "",
    customerId: customer?.requiredId("id") ?? null,
    email: c.text("email", "email"),
    currency: c.currency("currency"),
    totalPrice: c.money("total_price", "total") ?? "0",
    recoveryUrl: c.text("abandoned_checkout_url", "recovery link"),
    createdAt: c.timestamp("created_at", "created date") ?? updatedAt,
    completedAt: c.timestamp("completed_at", "completed date"),
    updatedAt,
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
