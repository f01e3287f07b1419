import { z } from "zod";
import type {
  CollectionRecord,
  CustomerRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  VariantRecord,
} from "./records";

// Admin GraphQL objects (bulk JSONL lines and reconciliation pages) to records. The field
// selections are app/graphql/fragments.ts; ids arrive as GIDs.

// The schemas only validate; the mapping functions convert. A zod transform costs several times
// the check it follows, and the backfill maps every line of a bulk result (millions).
const gid = (type: string) =>
  z.string().regex(new RegExp(`^gid://shopify/${type}/\\d{1,20}$`), `must be a ${type} GID`);
const timestamp = z.string().datetime({ offset: true });
const text = z.string().nullish();
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const shopMoney = z.object({ shopMoney: z.object({ amount: decimal }) });
const ref = (type: string) => z.object({ id: gid(type) }).nullish();

/** The numeric id of a GID the schema has checked. */
const idOf = (value: string) => BigInt(value.slice(value.lastIndexOf("/") + 1));
const optionalId = (value: { id: string } | null | undefined) => (value ? idOf(value.id) : null);
const optionalDate = (value: string | null | undefined) => (value ? new Date(value) : null);

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
    .object({ marketingState: z.string(), consentUpdatedAt: timestamp.nullish() })
    .nullish(),
  smsMarketingConsent: z.object({ marketingState: z.string() }).nullish(),
  defaultAddress: z.object({ countryCodeV2: text, province: text, city: text }).nullish(),
});

export function customerFromGraphql(node: unknown): CustomerRecord {
  const c = customerNode.parse(node);
  return {
    id: idOf(c.id),
    email: c.email ?? null,
    firstName: c.firstName ?? null,
    lastName: c.lastName ?? null,
    phone: c.phone ?? null,
    locale: c.locale ?? null,
    state: c.state?.toLowerCase() ?? null,
    tags: c.tags,
    emailMarketing: c.emailMarketingConsent?.marketingState.toLowerCase() ?? "not_subscribed",
    emailMarketingUpdatedAt: optionalDate(c.emailMarketingConsent?.consentUpdatedAt),
    smsMarketing: c.smsMarketingConsent?.marketingState.toLowerCase() ?? "not_subscribed",
    countryCode: c.defaultAddress?.countryCodeV2 ?? null,
    province: c.defaultAddress?.province ?? null,
    city: c.defaultAddress?.city ?? null,
    verifiedEmail: c.verifiedEmail ?? false,
    taxExempt: c.taxExempt ?? false,
    createdAt: new Date(c.createdAt),
    updatedAt: new Date(c.updatedAt),
  };
}

const lineItemNode = z.object({
  id: gid("LineItem"),
  title: z.string(),
  variantTitle: text,
  sku: text,
  quantity: z.number().int().min(0),
  isGiftCard: z.boolean().nullish(),
  product: ref("Product"),
  variant: ref("ProductVariant"),
  originalUnitPriceSet: shopMoney,
  totalDiscountSet: shopMoney,
});

export function lineItemFromGraphql(node: unknown): OrderLineRecord {
  const l = lineItemNode.parse(node);
  return {
    id: idOf(l.id),
    productId: optionalId(l.product),
    variantId: optionalId(l.variant),
    title: l.title,
    variantTitle: l.variantTitle ?? null,
    sku: l.sku ?? null,
    quantity: l.quantity,
    price: l.originalUnitPriceSet.shopMoney.amount,
    totalDiscount: l.totalDiscountSet.shopMoney.amount,
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
  cancelledAt: timestamp.nullish(),
  cancelReason: text,
  test: z.boolean(),
  tags: z.array(z.string()),
  sourceName: text,
  discountCodes: z.array(z.string()),
  currencyCode: z.string(),
  displayFinancialStatus: text,
  displayFulfillmentStatus: text,
  customer: ref("Customer"),
  subtotalPriceSet: shopMoney.nullish(),
  totalPriceSet: shopMoney,
  totalDiscountsSet: shopMoney.nullish(),
  totalTaxSet: shopMoney.nullish(),
  refunds: z.array(refundNode).optional(),
  lineItems: z.object({ nodes: z.array(z.unknown()) }).optional(),
});

/** An order node; `lines` are filled from a nested page, or later from JSONL child lines. */
export function orderFromGraphql(node: unknown): OrderRecord {
  const o = orderNode.parse(node);
  const id = idOf(o.id);
  const refunds: RefundRecord[] = (o.refunds ?? []).map((refund) => ({
    id: idOf(refund.id),
    orderId: id,
    amount: refund.totalRefundedSet.shopMoney.amount,
    createdAt: new Date(refund.createdAt),
    lines: [],
  }));
  const totalPrice = o.totalPriceSet.shopMoney.amount;
  return {
    id,
    customerId: optionalId(o.customer),
    name: o.name,
    email: o.email ?? null,
    currency: o.currencyCode,
    totalPrice,
    subtotalPrice: o.subtotalPriceSet?.shopMoney.amount ?? totalPrice,
    totalDiscounts: o.totalDiscountsSet?.shopMoney.amount ?? "0",
    totalTax: o.totalTaxSet?.shopMoney.amount ?? "0",
    financialStatus: o.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: o.displayFulfillmentStatus?.toLowerCase() ?? null,
    discountCodes: o.discountCodes,
    tags: o.tags,
    sourceName: o.sourceName ?? null,
    test: o.test,
    processedAt: new Date(o.processedAt),
    cancelledAt: optionalDate(o.cancelledAt),
    cancelReason: o.cancelReason?.toLowerCase() ?? null,
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
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
    id: idOf(v.id),
    title: v.title,
    sku: v.sku ?? null,
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
  publishedAt: timestamp.nullish(),
  featuredMedia: z
    .object({ preview: z.object({ image: z.object({ url: z.string() }).nullish() }).nullish() })
    .nullish(),
  variants: z.object({ nodes: z.array(z.unknown()) }).optional(),
});

export function productFromGraphql(node: unknown): ProductRecord {
  const p = productNode.parse(node);
  return {
    id: idOf(p.id),
    title: p.title,
    handle: p.handle,
    status: p.status.toLowerCase(),
    productType: p.productType ?? null,
    vendor: p.vendor ?? null,
    tags: p.tags,
    imageUrl: p.featuredMedia?.preview?.image?.url ?? null,
    totalInventory: p.tracksInventory === false ? null : (p.totalInventory ?? null),
    createdAt: new Date(p.createdAt),
    publishedAt: optionalDate(p.publishedAt),
    updatedAt: new Date(p.updatedAt),
    variants: p.variants?.nodes.map(variantFromGraphql) ?? [],
  };
}

const collectionNode = z.object({
  id: gid("Collection"),
  title: z.string(),
  handle: z.string(),
  updatedAt: timestamp,
});

export function collectionFromGraphql(node: unknown): CollectionRecord {
  const c = collectionNode.parse(node);
  return { id: idOf(c.id), title: c.title, handle: c.handle, updatedAt: new Date(c.updatedAt) };
}
