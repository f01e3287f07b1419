/**
 * Field selections shared by the bulk backfill and the reconciliation queries, so a record
 * loaded either way has the same shape. Bulk operations forbid fragments spread across
 * connections, so these are plain strings interpolated into each document.
 */
export const CUSTOMER_FIELDS = `
  id
  email
  firstName
  lastName
  phone
  locale
  state
  tags
  verifiedEmail
  taxExempt
  createdAt
  updatedAt
  emailMarketingConsent {
    marketingState
    consentUpdatedAt
  }
  smsMarketingConsent {
    marketingState
  }
  defaultAddress {
    countryCodeV2
    province
    city
  }
`;

export const ORDER_FIELDS = `
  id
  name
  email
  createdAt
  updatedAt
  processedAt
  cancelledAt
  cancelReason
  test
  tags
  sourceName
  discountCodes
  currencyCode
  displayFinancialStatus
  displayFulfillmentStatus
  customer {
    id
  }
  subtotalPriceSet {
    shopMoney {
      amount
    }
  }
  totalPriceSet {
    shopMoney {
      amount
    }
  }
  totalDiscountsSet {
    shopMoney {
      amount
    }
  }
  totalTaxSet {
    shopMoney {
      amount
    }
  }
  totalRefundedSet {
    shopMoney {
      amount
    }
  }
`;

export const LINE_ITEM_FIELDS = `
  id
  title
  variantTitle
  sku
  quantity
  isGiftCard
  product {
    id
  }
  variant {
    id
  }
  originalUnitPriceSet {
    shopMoney {
      amount
    }
  }
  totalDiscountSet {
    shopMoney {
      amount
    }
  }
`;

export const REFUND_FIELDS = `
  id
  createdAt
  totalRefundedSet {
    shopMoney {
      amount
    }
  }
`;

export const PRODUCT_FIELDS = `
  id
  title
  handle
  status
  productType
  vendor
  tags
  isGiftCard
  totalInventory
  tracksInventory
  createdAt
  updatedAt
  publishedAt
  featuredMedia {
    preview {
      image {
        url
        altText
        width
        height
      }
    }
  }
`;

export const VARIANT_FIELDS = `
  id
  title
  sku
  price
  compareAtPrice
  inventoryQuantity
  availableForSale
`;
