import {
  CUSTOMER_FIELDS,
  LINE_ITEM_FIELDS,
  ORDER_FIELDS,
  PRODUCT_FIELDS,
  REFUND_FIELDS,
  VARIANT_FIELDS,
} from "./fragments";

// Pages of records changed since a point in time (`query: "updated_at:>'...'"`), used by the
// reconciliation job to repair anything a dropped webhook left stale. Nested pages are small so
// a page stays under Shopify's 1,000-point single-query cost; a record whose nested page is
// incomplete is read again alone with the larger page below.
export const CUSTOMERS_UPDATED_SINCE_QUERY = `#graphql
  query CustomersUpdatedSince($first: Int!, $after: String, $query: String!) {
    customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${CUSTOMER_FIELDS}
      }
    }
  }
`;

export const ORDERS_UPDATED_SINCE_QUERY = `#graphql
  query OrdersUpdatedSince($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${ORDER_FIELDS}
        refunds {
          ${REFUND_FIELDS}
        }
        lineItems(first: 20) {
          pageInfo {
            hasNextPage
          }
          nodes {
            ${LINE_ITEM_FIELDS}
          }
        }
      }
    }
  }
`;

export const ORDER_WITH_LINE_ITEMS_QUERY = `#graphql
  query OrderWithLineItems($id: ID!) {
    order(id: $id) {
      ${ORDER_FIELDS}
      refunds {
        ${REFUND_FIELDS}
      }
      lineItems(first: 100) {
        pageInfo {
          hasNextPage
        }
        nodes {
          ${LINE_ITEM_FIELDS}
        }
      }
    }
  }
`;

export const PRODUCTS_UPDATED_SINCE_QUERY = `#graphql
  query ProductsUpdatedSince($first: Int!, $after: String, $query: String!) {
    products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${PRODUCT_FIELDS}
        variants(first: 20) {
          pageInfo {
            hasNextPage
          }
          nodes {
            ${VARIANT_FIELDS}
          }
        }
      }
    }
  }
`;

export const PRODUCT_WITH_VARIANTS_QUERY = `#graphql
  query ProductWithVariants($id: ID!) {
    product(id: $id) {
      ${PRODUCT_FIELDS}
      variants(first: 100) {
        pageInfo {
          hasNextPage
        }
        nodes {
          ${VARIANT_FIELDS}
        }
      }
    }
  }
`;
