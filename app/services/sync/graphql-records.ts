import { z } from "zod";
import type {
  CustomerRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  VariantRecord,
} from "./records";

// Admin GraphQL objects (bulk JSONL lines and reconciliation pages) to records. The field
// selections are app/graphql/fragments.ts; ids arrive as GIDs.

const gid = (type: string) =>
  z
    .string()
    .regex(new RegExp(`^gid://shopify/${type}/\\d{1,20}$`), `must be a ${type} GID`)
    .transform((value) => BigInt(value.slice(value.lastIndexOf("/") + 1)));
const timestamp = z
  .string()
  .datetime({ offset: true })
  .transform((v) => new Date(v));
const optionalTimestamp = timestamp.nullish().transform((v) => v ?? null);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const shopMoney = z
  .object({ shopMoney: z.object({ amount: decimal }) })
  .transform((m) => m.shopMoney.amount);
const optionalRef = (type: string) =>
  z
    .object({ id: gid(type) })
    .nullish()
    .transform((ref) => ref?.id ?? null);

export function parseGid(value: string): { type: string; id: bigint } {
  const match = /^gid:\/\/shopify\/(\w+)\/(\d{1,20})$/.exec(value);
  if (!match?.[1] || !match[2]) throw new Error(`not a Shopify GID: ${value}`);
  return { type: match[1], id: BigInt(match[2]) };
}

const customerNode = z.object({
  id: gid("Customer"),
  email: text,
  firstName: text,
  lastName: text,
  phone: text,
  locale: text,
  state: text,
  tags: z.array(z.string()),
  verifiedEmail: z.boolean().nullish(),
  taxExempt: z.boolean().nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  emailMarketingConsent: z
    .object({ marketingState: z.string(), consentUpdatedAt: optionalTimestamp })
    .nullish(),
  smsMarketingConsent: z.object({ marketingState: z.string() }).nullish(),
  defaultAddress: z.object({ countryCodeV2: text, province: text, city: text }).nullish(),
});

export function customerFromGraphql(node: unknown): CustomerRecord {
  const c = customerNode.parse(node);
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    locale: c.locale,
    state: c.state?.toLowerCase() ?? null,
    tags: c.tags,
    emailMarketing: c.emailMarketingConsent?.marketingState.toLowerCase() ?? "not_subscribed",
    emailMarketingUpdatedAt: c.emailMarketingConsent?.consentUpdatedAt ?? null,
    smsMarketing: c.smsMarketingConsent?.marketingState.toLowerCase() ?? "not_subscribed",
    countryCode: c.defaultAddress?.countryCodeV2 ?? null,
    province: c.defaultAddress?.province ?? null,
    city: c.defaultAddress?.city ?? null,
    verifiedEmail: c.verifiedEmail ?? false,
    taxExempt: c.taxExempt ?? false,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

const lineItemNode = z.object({
  id: gid("LineItem"),
  title: z.string(),
  variantTitle: text,
  sku: text,
  quantity: z.number().int().min(0),
  isGiftCard: z.boolean().nullish(),
  product: optionalRef("Product"),
  variant: optionalRef("ProductVariant"),
  originalUnitPriceSet: shopMoney,
  totalDiscountSet: shopMoney,
});

export function lineItemFromGraphql(node: unknown): OrderLineRecord {
  const l = lineItemNode.parse(node);
  return {
    id: l.id,
    productId: l.product,
    variantId: l.variant,
    title: l.title,
    variantTitle: l.variantTitle,
    sku: l.sku,
    quantity: l.quantity,
    price: l.originalUnitPriceSet,
    totalDiscount: l.totalDiscountSet,
    giftCard: l.isGiftCard ?? false,
  };
}

const refundNode = z.object({
  id: gid("Refund"),
  createdAt: timestamp,
  totalRefundedSet: shopMoney,
});

const orderNode = z.object({
  id: gid("Order"),
  name: z.string(),
  email: text,
  createdAt: timestamp,
  updatedAt: timestamp,
  processedAt: timestamp,
  cancelledAt: optionalTimestamp,
  cancelReason: text,
  test: z.boolean(),
  tags: z.array(z.string()),
  sourceName: text,
  discountCodes: z.array(z.string()),
  currencyCode: z.string(),
  displayFinancialStatus: text,
  displayFulfillmentStatus: text,
  customer: optionalRef("Customer"),
  subtotalPriceSet: shopMoney.nullish(),
  totalPriceSet: shopMoney,
  totalDiscountsSet: shopMoney.nullish(),
  totalTaxSet: shopMoney.nullish(),
  refunds: z.array(refundNode).default([]),
  lineItems: z.object({ nodes: z.array(z.unknown()) }).optional(),
});

/** An order node; `lines` are filled from a nested page, or later from JSONL child lines. */
export function orderFromGraphql(node: unknown): OrderRecord {
  const o = orderNode.parse(node);
  const refunds: RefundRecord[] = o.refunds.map((refund) => ({
    id: refund.id,
    orderId: o.id,
    amount: refund.totalRefundedSet,
    createdAt: refund.createdAt,
    lines: [],
  }));
  return {
    id: o.id,
    customerId: o.customer,
    name: o.name,
    email: o.email,
    currency: o.currencyCode,
    totalPrice: o.totalPriceSet,
    subtotalPrice: o.subtotalPriceSet ?? o.totalPriceSet,
    totalDiscounts: o.totalDiscountsSet ?? "0",
    totalTax: o.totalTaxSet ?? "0",
    financialStatus: o.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: o.displayFulfillmentStatus?.toLowerCase() ?? null,
    discountCodes: o.discountCodes,
    tags: o.tags,
    sourceName: o.sourceName,
    test: o.test,
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason?.toLowerCase() ?? null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    lines: o.lineItems?.nodes.map(lineItemFromGraphql) ?? [],
    refunds,
  };
}

const variantNode = z.object({
  id: gid("ProductVariant"),
  title: z.string(),
  sku: text,
  price: decimal,
  compareAtPrice: decimal.nullish(),
  inventoryQuantity: z.number().int().nullish(),
  availableForSale: z.boolean(),
});

export function variantFromGraphql(node: unknown): VariantRecord {
  const v = variantNode.parse(node);
  return {
    id: v.id,
    title: v.title,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    inventoryQuantity: v.inventoryQuantity ?? null,
    availableForSale: v.availableForSale,
  };
}

const productNode = z.object({
  id: gid("Product"),
  title: z.string(),
  handle: z.string(),
  status: z.string(),
  productType: text,
  vendor: text,
  tags: z.array(z.string()),
  totalInventory: z.number().int().nullish(),
  tracksInventory: z.boolean().nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  publishedAt: optionalTimestamp,
  featuredMedia: z
    .object({ preview: z.object({ image: z.object({ url: z.string() }).nullish() }).nullish() })
    .nullish(),
  variants: z.object({ nodes: z.array(z.unknown()) }).optional(),
});

export function productFromGraphql(node: unknown): ProductRecord {
  const p = productNode.parse(node);
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    status: p.status.toLowerCase(),
    productType: p.productType,
    vendor: p.vendor,
    tags: p.tags,
    imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
    totalInventory: p.tracksInventory === false ? null : (p.totalInventory ?? null),
    createdAt: p.createdAt,
    publishedAt: p.publishedAt,
    updatedAt: p.updatedAt,
    variants: p.variants?.nodes.map(variantFromGraphql) ?? [],
  };
}
