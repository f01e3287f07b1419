import type {
  StoreCollection,
  StoreCustomer,
  StoreOrder,
  StoreProduct,
  StoreRefund,
} from "./model";
import { gid, isoTime } from "./shopify-json";

// Webhook bodies in Shopify's REST shape (see ../shared/shopify/webhooks), built from the same
// store state the Admin GraphQL resolvers read. Only fields an app can rely on are included;
// names, nesting and types follow the real samples.

const moneySet = (amount: string, currency: string) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount, currency_code: currency },
});

const consentState = (state: string) => state.toLowerCase();

export function customerRestBody(customer: StoreCustomer, currency: string) {
  return {
    id: customer.id,
    email: customer.email,
    created_at: isoTime(customer.createdAt),
    updated_at: isoTime(customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: null,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    phone: customer.phone,
    locale: customer.locale,
    currency,
    tags: customer.tags.join(", "),
    tax_exemptions: [],
    email_marketing_consent: customer.email
      ? {
          state: consentState(customer.emailMarketing),
          opt_in_level: "single_opt_in",
          consent_updated_at: isoTime(customer.emailMarketingUpdatedAt),
        }
      : null,
    sms_marketing_consent: customer.phone
      ? {
          state: consentState(customer.smsMarketing),
          opt_in_level: "single_opt_in",
          consent_updated_at: null,
          consent_collected_from: "OTHER",
        }
      : null,
    admin_graphql_api_id: gid("Customer", customer.id),
    default_address: customer.address
      ? {
          customer_id: customer.id,
          first_name: customer.firstName,
          last_name: customer.lastName,
          city: customer.address.city,
          province: customer.address.province,
          country_code: customer.address.countryCode,
          default: true,
        }
      : null,
  };
}

export function refundRestBody(refund: StoreRefund, order: StoreOrder) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    created_at: isoTime(refund.createdAt),
    processed_at: isoTime(refund.createdAt),
    note: refund.note,
    restock: false,
    admin_graphql_api_id: gid("Refund", refund.id),
    refund_line_items: refund.lines.map((line) => ({
      id: line.id,
      quantity: line.quantity,
      line_item_id: line.lineItemId,
      restock_type: "no_restock",
      subtotal: Number(line.subtotal),
      subtotal_set: moneySet(line.subtotal, order.currency),
    })),
    transactions: [
      {
        id: refund.id + 1n,
        order_id: refund.orderId,
        kind: "refund",
        status: "success",
        amount: refund.amount,
        currency: order.currency,
        gateway: "bogus",
        created_at: isoTime(refund.createdAt),
      },
    ],
    order_adjustments: [],
  };
}

export function orderRestBody(order: StoreOrder, customer: StoreCustomer | null) {
  const totalRefunded = order.refunds.reduce((sum, refund) => sum + Number(refund.amount), 0);
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    order_number: Number(order.name.replace("#", "")),
    email: order.email,
    contact_email: order.email,
    created_at: isoTime(order.createdAt),
    updated_at: isoTime(order.updatedAt),
    processed_at: isoTime(order.processedAt),
    cancelled_at: isoTime(order.cancelledAt),
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: null,
    currency: order.currency,
    presentment_currency: order.currency,
    financial_status: order.financialStatus.toLowerCase(),
    fulfillment_status: order.fulfillmentStatus === "FULFILLED" ? "fulfilled" : null,
    subtotal_price: order.subtotalPrice,
    subtotal_price_set: moneySet(order.subtotalPrice, order.currency),
    total_discounts: order.totalDiscounts,
    total_discounts_set: moneySet(order.totalDiscounts, order.currency),
    total_tax: order.totalTax,
    total_tax_set: moneySet(order.totalTax, order.currency),
    total_price: order.totalPrice,
    total_price_set: moneySet(order.totalPrice, order.currency),
    current_total_price: (Number(order.totalPrice) - totalRefunded).toFixed(2),
    discount_codes: order.discountCodes.map((code) => ({
      code,
      amount: order.totalDiscounts,
      type: "percentage",
    })),
    tags: order.tags.join(", "),
    source_name: order.sourceName,
    test: order.test,
    taxes_included: false,
    customer: customer ? customerRestBody(customer, order.currency) : null,
    line_items: order.lineItems.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid("LineItem", line.id),
      product_id: line.productId,
      variant_id: line.variantId,
      title: line.title,
      name: `${line.title} - ${line.variantTitle}`,
      variant_title: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      current_quantity: line.quantity,
      price: line.price,
      price_set: moneySet(line.price, order.currency),
      total_discount: line.totalDiscount,
      total_discount_set: moneySet(line.totalDiscount, order.currency),
      gift_card: line.giftCard,
      taxable: true,
      requires_shipping: !line.giftCard,
      product_exists: true,
    })),
    refunds: order.refunds.map((refund) => refundRestBody(refund, order)),
  };
}

/**
 * collections/create and collections/update as Shopify sends them: the collection's own fields,
 * no products (a custom collection's `collects` and a smart collection's rules are not in it).
 */
export function collectionRestBody(collection: StoreCollection) {
  return {
    id: collection.id,
    admin_graphql_api_id: gid("Collection", collection.id),
    handle: collection.handle,
    title: collection.title,
    body_html: "",
    sort_order: "manual",
    template_suffix: null,
    published_scope: "web",
    published_at: isoTime(collection.updatedAt),
    updated_at: isoTime(collection.updatedAt),
  };
}

export function productRestBody(product: StoreProduct) {
  return {
    id: product.id,
    admin_graphql_api_id: gid("Product", product.id),
    title: product.title,
    handle: product.handle,
    body_html: `<p>${product.title}</p>`,
    vendor: product.vendor,
    product_type: product.productType,
    status: product.status.toLowerCase(),
    tags: product.tags.join(", "),
    created_at: isoTime(product.createdAt),
    updated_at: isoTime(product.updatedAt),
    published_at: isoTime(product.publishedAt),
    image: product.imageUrl ? { src: product.imageUrl, alt: product.title } : null,
    images: product.imageUrl ? [{ src: product.imageUrl, alt: product.title }] : [],
    variants: product.variants.map((variant, index) => ({
      id: variant.id,
      admin_graphql_api_id: gid("ProductVariant", variant.id),
      product_id: product.id,
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      compare_at_price: variant.compareAtPrice,
      position: index + 1,
      inventory_quantity: variant.inventoryQuantity,
      inventory_management: product.giftCard ? null : "shopify",
      created_at: isoTime(product.createdAt),
      updated_at: isoTime(product.updatedAt),
    })),
  };
}
