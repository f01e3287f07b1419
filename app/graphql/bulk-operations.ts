import {
  CUSTOMER_FIELDS,
  LINE_ITEM_FIELDS,
  ORDER_FIELDS,
  PRODUCT_FIELDS,
  REFUND_FIELDS,
  VARIANT_FIELDS,
} from "./fragments";

export const BULK_OPERATION_RUN_QUERY = `#graphql
  mutation BulkOperationRunQuery($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const BULK_OPERATION_STATUS_QUERY = `#graphql
  query BulkOperationStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        rootObjectCount
        fileSize
        url
        partialDataUrl
        createdAt
        completedAt
      }
    }
  }
`;

// The inner queries a bulk operation runs. Shopify flattens nested connections into JSONL
// lines that carry `__parentId`.
export const BULK_CUSTOMERS_QUERY = `#graphql
  query BulkCustomers {
    customers {
      edges {
        node {
          ${CUSTOMER_FIELDS}
        }
      }
    }
  }
`;

export const BULK_PRODUCTS_QUERY = `#graphql
  query BulkProducts {
    products {
      edges {
        node {
          ${PRODUCT_FIELDS}
          variants {
            edges {
              node {
                ${VARIANT_FIELDS}
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_ORDERS_QUERY = `#graphql
  query BulkOrders {
    orders {
      edges {
        node {
          ${ORDER_FIELDS}
          refunds {
            ${REFUND_FIELDS}
          }
          lineItems {
            edges {
              node {
                ${LINE_ITEM_FIELDS}
              }
            }
          }
        }
      }
    }
  }
`;
