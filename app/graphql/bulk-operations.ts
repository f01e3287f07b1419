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
// lines that carry `__parentId`. A bulk query takes no variables, so the optional search
// (e.g. `updated_at:>'…'` for reconciliation) is written into the document as a string literal.
const searchArgument = (search?: string) =>
  search === undefined ? "" : `(query: ${JSON.stringify(search)})`;

export const bulkCustomersQuery = (search?: string) => `#graphql
  query BulkCustomers {
    customers${searchArgument(search)} {
      edges {
        node {
          ${CUSTOMER_FIELDS}
        }
      }
    }
  }
`;

export const bulkProductsQuery = (search?: string) => `#graphql
  query BulkProducts {
    products${searchArgument(search)} {
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

/**
 * Every collection, custom and smart alike, with its products' ids as child lines. Not narrowed
 * by a search: a smart collection's products change when the products do, without the
 * collection's own updated_at moving, so each reconciliation reads the whole membership.
 */
export const bulkCollectionsQuery = () => `#graphql
  query BulkCollections {
    collections {
      edges {
        node {
          id
          title
          handle
          updatedAt
          products {
            edges {
              node {
                id
              }
            }
          }
        }
      }
    }
  }
`;

export const bulkOrdersQuery = (search?: string) => `#graphql
  query BulkOrders {
    orders${searchArgument(search)} {
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

/** Shopify search syntax for records changed after `since`. */
export const updatedSinceSearch = (since: Date) => `updated_at:>'${since.toISOString()}'`;
