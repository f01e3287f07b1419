import type {
  StoreCollection,
  StoreCustomer,
  StoreLineItem,
  StoreOrder,
  StoreProduct,
  StoreRefund,
  StoreVariant,
} from "../model";
import { gid, isoTime } from "../shopify-json";
import type { DevStore, StoreDiscount } from "../store";
import { connection, type ConnectionArgs, type ResolveContext } from "./connections";

// GraphQL-shaped views of the store's records. graphql-js's default resolver reads these
// properties (calling functions with the field's arguments), and the schema decides what a
// query may see, so only fields the app selects need to exist here.

const moneyBag = (amount: string, currencyCode: string) => ({
  shopMoney: { amount, currencyCode },
  presentmentMoney: { amount, currencyCode },
});

const marketingState = (state: string) => state;

export function customerView(customer: StoreCustomer) {
  return {
    __typename: "Customer",
    id: gid("Customer", customer.id),
    legacyResourceId: customer.id.toString(),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: [customer.firstName, customer.lastName].filter(Boolean).join(" "),
    phone: customer.phone,
    locale: customer.locale,
    state: customer.state,
    tags: customer.tags,
    verifiedEmail: customer.verifiedEmail,
    taxExempt: customer.taxExempt,
    createdAt: isoTime(customer.createdAt),
    updatedAt: isoTime(customer.updatedAt),
    emailMarketingConsent: customer.email
      ? {
          marketingState: marketingState(customer.emailMarketing),
          marketingOptInLevel: "SINGLE_OPT_IN",
          consentUpdatedAt: isoTime(customer.emailMarketingUpdatedAt),
        }
      : null,
    smsMarketingConsent: customer.phone
      ? {
          marketingState: marketingState(customer.smsMarketing),
          marketingOptInLevel: "SINGLE_OPT_IN",
        }
      : null,
    defaultAddress: customer.address
      ? {
          countryCodeV2: customer.address.countryCode,
          province: customer.address.province,
          city: customer.address.city,
        }
      : null,
  };
}

export function lineItemView(line: StoreLineItem, currency: string) {
  return {
    __typename: "LineItem",
    id: gid("LineItem", line.id),
    title: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    isGiftCard: line.giftCard,
    product: { id: gid("Product", line.productId) },
    variant: { id: gid("ProductVariant", line.variantId) },
    originalUnitPriceSet: moneyBag(line.price, currency),
    totalDiscountSet: moneyBag(line.totalDiscount, currency),
  };
}

export function refundView(refund: StoreRefund, currency: string) {
  return {
    __typename: "Refund",
    id: gid("Refund", refund.id),
    createdAt: isoTime(refund.createdAt),
    note: refund.note,
    totalRefundedSet: moneyBag(refund.amount, currency),
  };
}

const centsSum = (amounts: readonly string[]) =>
  (amounts.reduce((sum, amount) => sum + Math.round(Number(amount) * 100), 0) / 100).toFixed(2);

export function orderView(order: StoreOrder) {
  const currency = order.currency;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: order.id.toString(),
    name: order.name,
    email: order.email,
    createdAt: isoTime(order.createdAt),
    updatedAt: isoTime(order.updatedAt),
    processedAt: isoTime(order.processedAt),
    cancelledAt: isoTime(order.cancelledAt),
    cancelReason: order.cancelReason,
    test: order.test,
    tags: order.tags,
    sourceName: order.sourceName,
    discountCodes: order.discountCodes,
    currencyCode: currency,
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: order.fulfillmentStatus ?? "UNFULFILLED",
    customer: order.customerId === null ? null : { id: gid("Customer", order.customerId) },
    subtotalPriceSet: moneyBag(order.subtotalPrice, currency),
    totalPriceSet: moneyBag(order.totalPrice, currency),
    totalDiscountsSet: moneyBag(order.totalDiscounts, currency),
    totalTaxSet: moneyBag(order.totalTax, currency),
    totalRefundedSet: moneyBag(centsSum(order.refunds.map((refund) => refund.amount)), currency),
    refunds: (args: { first?: number | null }) =>
      order.refunds
        .slice(0, args.first ?? order.refunds.length)
        .map((refund) => refundView(refund, currency)),
    lineItems: (args: ConnectionArgs, context: ResolveContext) =>
      connection(order.lineItems, args, context, (line) => lineItemView(line, currency)),
  };
}

export function variantView(variant: StoreVariant, product: StoreProduct) {
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", variant.id),
    title: variant.title,
    sku: variant.sku,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    inventoryQuantity: variant.inventoryQuantity,
    availableForSale:
      product.status === "ACTIVE" && (product.giftCard || variant.inventoryQuantity > 0),
  };
}

export function productView(product: StoreProduct) {
  return {
    __typename: "Product",
    id: gid("Product", product.id),
    legacyResourceId: product.id.toString(),
    title: product.title,
    handle: product.handle,
    status: product.status,
    productType: product.productType,
    vendor: product.vendor,
    tags: product.tags,
    isGiftCard: product.giftCard,
    tracksInventory: !product.giftCard,
    totalInventory: product.variants.reduce((sum, variant) => sum + variant.inventoryQuantity, 0),
    createdAt: isoTime(product.createdAt),
    updatedAt: isoTime(product.updatedAt),
    publishedAt: isoTime(product.publishedAt),
    featuredMedia: product.imageUrl
      ? {
          __typename: "MediaImage",
          preview: {
            image: { url: product.imageUrl, altText: product.title, width: 800, height: 800 },
          },
        }
      : null,
    variants: (args: ConnectionArgs, context: ResolveContext) =>
      connection(product.variants, args, context, (variant) => variantView(variant, product)),
  };
}

export function collectionView(collection: StoreCollection, store: DevStore) {
  return {
    __typename: "Collection",
    id: gid("Collection", collection.id),
    legacyResourceId: collection.id.toString(),
    title: collection.title,
    handle: collection.handle,
    updatedAt: isoTime(collection.updatedAt),
    productsCount: () => ({
      count: store.productsInCollection(collection.id).length,
      precision: "EXACT",
    }),
    products: (args: ConnectionArgs, context: ResolveContext) =>
      connection(store.productsInCollection(collection.id), args, context, productView),
  };
}

export function shopView(store: DevStore) {
  const shop = store.shop;
  return {
    __typename: "Shop",
    id: gid("Shop", 1),
    name: shop.name,
    email: shop.email,
    myshopifyDomain: shop.domain,
    currencyCode: shop.currency,
    ianaTimezone: shop.ianaTimezone,
    plan: { publicDisplayName: shop.plan, partnerDevelopment: false, shopifyPlus: false },
    primaryDomain: {
      id: gid("Domain", 1),
      host: shop.domain,
      url: `https://${shop.domain}`,
      sslEnabled: true,
    },
    // The simulated store's made-up street address, for email footers.
    shopAddress: {
      id: gid("ShopAddress", 1),
      coordinatesValidated: false,
      formatted: () => [shop.name, "12 Harbour Street", "Portland ME 04101", "United States"],
    },
  };
}

export function discountNodeView(discount: StoreDiscount) {
  return {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", discount.id),
    codeDiscount: {
      __typename: "DiscountCodeBasic",
      title: discount.title,
      startsAt: isoTime(discount.startsAt),
      endsAt: isoTime(discount.endsAt),
      codes: () => ({ nodes: [{ code: discount.code }] }),
    },
  };
}
