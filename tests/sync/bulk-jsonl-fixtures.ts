// Bulk operation JSONL objects as Shopify writes them for the app's queries
// (app/graphql/fragments.ts); overrides change single fields.

type Id = number | bigint | string;
type Fields = Record<string, unknown>;

export const money = (amount: string) => ({ shopMoney: { amount } });

export const bulkCustomer = (id: Id, overrides: Fields = {}) => ({
  id: `gid://shopify/Customer/${id}`,
  email: `c${id}@example.com`,
  firstName: "C",
  lastName: `${id}`,
  phone: null,
  locale: "tr",
  state: "ENABLED",
  tags: ["vip"],
  verifiedEmail: true,
  taxExempt: false,
  createdAt: "2025-01-01T00:00:00Z",
  updatedAt: "2025-02-01T00:00:00Z",
  emailMarketingConsent: { marketingState: "SUBSCRIBED", consentUpdatedAt: "2025-01-01T00:00:00Z" },
  smsMarketingConsent: null,
  defaultAddress: { countryCodeV2: "MY", province: null, city: "Kuala Lumpur" },
  ...overrides,
});

export const bulkRefund = (id: Id, amount = "5.00") => ({
  id: `gid://shopify/Refund/${id}`,
  createdAt: "2025-03-05T00:00:00Z",
  totalRefundedSet: money(amount),
});

export const bulkOrder = (id: Id, customerId: Id | null, overrides: Fields = {}) => ({
  id: `gid://shopify/Order/${id}`,
  name: `#${id}`,
  email: null,
  createdAt: "2025-03-01T00:00:00Z",
  updatedAt: "2025-03-02T00:00:00Z",
  processedAt: "2025-03-01T00:00:00Z",
  cancelledAt: null,
  cancelReason: null,
  test: false,
  tags: [],
  sourceName: "web",
  discountCodes: ["WELCOME"],
  currencyCode: "MYR",
  displayFinancialStatus: "PAID",
  displayFulfillmentStatus: "FULFILLED",
  customer: customerId ? { id: `gid://shopify/Customer/${customerId}` } : null,
  subtotalPriceSet: money("30.00"),
  totalPriceSet: money("30.00"),
  totalDiscountsSet: money("0.00"),
  totalTaxSet: money("0.00"),
  totalRefundedSet: money("5.00"),
  refunds: [bulkRefund(`${id}0`)],
  ...overrides,
});

export const bulkLineItem = (id: Id, orderId: Id, overrides: Fields = {}) => ({
  id: `gid://shopify/LineItem/${id}`,
  title: "Tea",
  variantTitle: null,
  sku: "TEA",
  quantity: 3,
  isGiftCard: false,
  product: { id: "gid://shopify/Product/900" },
  variant: { id: "gid://shopify/ProductVariant/901" },
  originalUnitPriceSet: money("10.00"),
  totalDiscountSet: money("0.00"),
  __parentId: `gid://shopify/Order/${orderId}`,
  ...overrides,
});

export async function* linesOf(all: readonly string[]) {
  yield* all;
}
