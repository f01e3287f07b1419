/**
 * The normalized shape of everything the sync writes. Webhook bodies (REST JSON) and Admin
 * GraphQL results (bulk backfill, reconciliation) are both mapped to these records, so one
 * writer applies them all the same way. Ids are Shopify's numeric ids as bigint; money is a
 * decimal string in the shop's currency.
 */
export interface CustomerRecord {
  id: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  locale: string | null;
  state: string | null;
  /** undefined when the source did not carry the field: the stored value is kept. */
  tags: string[] | undefined;
  emailMarketing: string | undefined;
  emailMarketingUpdatedAt: Date | null | undefined;
  smsMarketing: string | undefined;
  countryCode: string | null;
  province: string | null;
  city: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderLineRecord {
  id: bigint;
  productId: bigint | null;
  variantId: bigint | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  price: string;
  totalDiscount: string;
  giftCard: boolean;
}

export interface RefundLineRecord {
  id: bigint;
  lineItemId: bigint;
  quantity: number;
  subtotal: string;
}

export interface RefundRecord {
  id: bigint;
  orderId: bigint;
  amount: string;
  createdAt: Date;
  lines: RefundLineRecord[];
}

export interface OrderRecord {
  id: bigint;
  customerId: bigint | null;
  name: string;
  email: string | null;
  /** null when the body had no readable currency: the shop's currency is stored. */
  currency: string | null;
  totalPrice: string;
  subtotalPrice: string;
  totalDiscounts: string;
  totalTax: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  discountCodes: string[];
  tags: string[];
  sourceName: string | null;
  test: boolean;
  processedAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  lines: OrderLineRecord[];
  /** Refunds carried by the order itself; undefined when the source omitted them. */
  refunds: RefundRecord[] | undefined;
}

export interface VariantRecord {
  id: bigint;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number | null;
  availableForSale: boolean;
}

export interface ProductRecord {
  id: bigint;
  title: string;
  handle: string;
  status: string;
  productType: string | null;
  vendor: string | null;
  tags: string[];
  imageUrl: string | null;
  totalInventory: number | null;
  createdAt: Date;
  publishedAt: Date | null;
  updatedAt: Date;
  variants: VariantRecord[];
}

/** A custom or smart collection; its products arrive apart (bulk lines, or a refresh). */
export interface CollectionRecord {
  id: bigint;
  title: string;
  handle: string;
  updatedAt: Date;
}

/** One product of a collection, from a bulk export's nested product lines. */
export interface CollectionMemberRecord {
  collectionId: bigint;
  productId: bigint;
}

export interface CheckoutRecord {
  id: bigint;
  token: string;
  customerId: bigint | null;
  email: string | null;
  /** null when the body had no readable currency: the shop's currency is stored. */
  currency: string | null;
  totalPrice: string;
  recoveryUrl: string | null;
  createdAt: Date;
  completedAt: Date | null;
  updatedAt: Date;
}

/** Deletions carry only the id and when Shopify reported them. */
export interface TombstoneRecord {
  id: bigint;
  deletedAt: Date;
}
