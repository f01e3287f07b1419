/**
 * Synthetic Shopify payloads for the benchmarks: deterministic, cheap to make, shaped like the
 * real REST webhook bodies and bulk JSONL lines the app ingests.
 */
export function orderWebhookBody(orderId: number, customerId: number, lineCount: number): string {
  const lines = Array.from({ length: lineCount }, (_, index) => ({
    id: orderId * 10 + index,
    product_id: 1000 + ((orderId * 7 + index * 13) % 500),
    variant_id: null,
    title: `Product ${index}`,
    variant_title: null,
    sku: `SKU-${index}`,
    quantity: 1 + (index % 3),
    price: "19.90",
    total_discount: "0.00",
    gift_card: false,
  }));
  return JSON.stringify({
    id: orderId,
    name: `#${orderId}`,
    email: `customer${customerId}@example.com`,
    currency: "EUR",
    total_price: (19.9 * lineCount).toFixed(2),
    subtotal_price: (19.9 * lineCount).toFixed(2),
    total_discounts: "0.00",
    total_tax: "0.00",
    financial_status: "paid",
    fulfillment_status: null,
    discount_codes: [],
    tags: "",
    source_name: "web",
    test: false,
    processed_at: new Date(Date.UTC(2025, 0, 1) + orderId * 60_000).toISOString(),
    cancelled_at: null,
    cancel_reason: null,
    created_at: new Date(Date.UTC(2025, 0, 1) + orderId * 60_000).toISOString(),
    updated_at: new Date(Date.UTC(2025, 0, 1) + orderId * 60_000).toISOString(),
    customer: { id: customerId },
    line_items: lines,
    refunds: [],
  });
}

const money = (amount: string) => ({ shopMoney: { amount } });

/** Bulk operation JSONL: customers, then each order followed by its line items. */
export async function* bulkJsonlLines(customers: number, orders: number): AsyncGenerator<string> {
  for (let id = 1; id <= customers; id++) {
    yield JSON.stringify({
      id: `gid://shopify/Customer/${id}`,
      email: `customer${id}@example.com`,
      firstName: "Customer",
      lastName: String(id),
      phone: null,
      locale: "en",
      state: "ENABLED",
      tags: id % 10 === 0 ? ["vip"] : [],
      verifiedEmail: true,
      taxExempt: false,
      createdAt: "2024-01-01T00:00:00Z",
      updatedAt: "2024-01-01T00:00:00Z",
      emailMarketingConsent: {
        marketingState: id % 2 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
        consentUpdatedAt: null,
      },
      smsMarketingConsent: null,
      defaultAddress: { countryCodeV2: "DE", province: null, city: "Berlin" },
    });
  }
  for (let id = 1; id <= orders; id++) {
    const at = new Date(Date.UTC(2024, 0, 1) + id * 30_000).toISOString();
    yield JSON.stringify({
      id: `gid://shopify/Order/${id}`,
      name: `#${id}`,
      email: null,
      createdAt: at,
      updatedAt: at,
      processedAt: at,
      cancelledAt: null,
      cancelReason: null,
      test: false,
      tags: [],
      sourceName: "web",
      discountCodes: [],
      currencyCode: "EUR",
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      customer: { id: `gid://shopify/Customer/${1 + (id % customers)}` },
      subtotalPriceSet: money("49.75"),
      totalPriceSet: money("49.75"),
      totalDiscountsSet: money("0.00"),
      totalTaxSet: money("0.00"),
      totalRefundedSet: money("0.00"),
      refunds: [],
    });
    // 2 or 3 lines per order: 2.5 on average.
    const lineCount = id % 2 === 0 ? 2 : 3;
    for (let line = 0; line < lineCount; line++) {
      yield JSON.stringify({
        id: `gid://shopify/LineItem/${id * 10 + line}`,
        title: "Product",
        variantTitle: null,
        sku: null,
        quantity: 1,
        isGiftCard: false,
        product: { id: `gid://shopify/Product/${1000 + ((id + line * 7) % 500)}` },
        variant: null,
        originalUnitPriceSet: money("19.90"),
        totalDiscountSet: money("0.00"),
        __parentId: `gid://shopify/Order/${id}`,
      });
    }
  }
}
