/**
 * The simulated store's state: the single source of truth that its Admin GraphQL resolvers,
 * bulk-operation exports, webhook bodies and storefront pages all read, so a webhook and a later
 * query about the same record always agree.
 *
 * Ids are bigints on purpose: real Shopify ids exceed 2^53, and the generator allocates them
 * above that bound so any lossy JSON parse in the app shows up in tests.
 */

/** Decimal money amount as Shopify sends it, e.g. "19.90" (two decimals, shop currency). */
export type Money = string;

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED";
export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface StoreCollection {
  id: bigint;
  title: string;
  handle: string;
  updatedAt: Date;
}

export interface StoreVariant {
  id: bigint;
  productId: bigint;
  title: string;
  sku: string;
  price: Money;
  compareAtPrice: Money | null;
  inventoryQuantity: number;
}

export interface StoreProduct {
  id: bigint;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  giftCard: boolean;
  imageUrl: string | null;
  collectionIds: bigint[];
  /** Latent taste group the generator draws co-purchases from (ground truth for recommendations). */
  tasteGroup: number;
  createdAt: Date;
  publishedAt: Date | null;
  updatedAt: Date;
  variants: StoreVariant[];
}

export interface StoreAddress {
  city: string;
  province: string;
  countryCode: string;
}

/** Ground truth of the purchase process the generator drew a customer from (BG/NBD + Gamma-Gamma). */
export interface CustomerTruth {
  /** Purchase rate per day while alive. */
  lambda: number;
  /** Probability of dropping out after each purchase. */
  dropoutP: number;
  /** Mean order value the customer's orders are drawn around. */
  meanOrderValue: number;
  /** Day (since the generator's start) the customer dropped out, or null if still alive at the end. */
  diedAt: Date | null;
  tasteGroup: number;
}

export interface StoreCustomer {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string;
  state: "ENABLED" | "DISABLED" | "INVITED";
  tags: string[];
  emailMarketing: MarketingState;
  emailMarketingUpdatedAt: Date | null;
  smsMarketing: MarketingState;
  verifiedEmail: boolean;
  taxExempt: boolean;
  address: StoreAddress | null;
  createdAt: Date;
  updatedAt: Date;
  truth: CustomerTruth;
}

export interface StoreLineItem {
  id: bigint;
  productId: bigint;
  variantId: bigint;
  title: string;
  variantTitle: string;
  sku: string;
  quantity: number;
  price: Money;
  totalDiscount: Money;
  giftCard: boolean;
}

export interface StoreRefundLine {
  id: bigint;
  lineItemId: bigint;
  quantity: number;
  subtotal: Money;
}

export interface StoreRefund {
  id: bigint;
  orderId: bigint;
  createdAt: Date;
  note: string | null;
  lines: StoreRefundLine[];
  /** Total refunded to the buyer by this refund. */
  amount: Money;
}

export type FinancialStatus = "PENDING" | "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";

export interface StoreOrder {
  id: bigint;
  /** "#1001" style order name. */
  name: string;
  customerId: bigint | null;
  email: string | null;
  currency: string;
  sourceName: string;
  tags: string[];
  discountCodes: string[];
  lineItems: StoreLineItem[];
  subtotalPrice: Money;
  totalDiscounts: Money;
  totalTax: Money;
  totalPrice: Money;
  financialStatus: FinancialStatus;
  fulfillmentStatus: "FULFILLED" | "UNFULFILLED" | null;
  test: boolean;
  createdAt: Date;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  cancelReason: "CUSTOMER" | "FRAUD" | "INVENTORY" | "DECLINED" | "OTHER" | null;
  refunds: StoreRefund[];
}

export interface StoreShop {
  domain: string;
  name: string;
  email: string;
  currency: string;
  ianaTimezone: string;
  plan: string;
}

export interface StoreData {
  shop: StoreShop;
  collections: StoreCollection[];
  products: StoreProduct[];
  customers: StoreCustomer[];
  /** Sorted by processedAt ascending. */
  orders: StoreOrder[];
}
