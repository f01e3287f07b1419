import {
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS_QUERY,
  bulkCollectionsQuery,
  bulkCustomersQuery,
  bulkOrdersQuery,
  bulkProductsQuery,
  updatedSinceSearch,
} from "./bulk-operations";
import * as billing from "./billing";
import * as collections from "./collections";
import * as emailBrand from "./email-brand";
import * as emailConsent from "./email-consent";
import * as flow from "./flow";
import * as shop from "./shop";
import * as theme from "./theme";
import * as webPixel from "./web-pixel";
import * as winBack from "./win-back";

const sampleSearch = updatedSinceSearch(new Date("2026-01-01T00:00:00Z"));

/**
 * Every Admin GraphQL document the app sends, by name (bulk queries both whole and narrowed
 * by a search). A test validates each one against the pinned Admin API schema.
 */
export const ADMIN_DOCUMENTS: Readonly<Record<string, string>> = {
  ...shop,
  ...emailConsent,
  ...emailBrand,
  ...winBack,
  ...flow,
  ...collections,
  ...billing,
  ...theme,
  ...webPixel,
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS_QUERY,
  BULK_CUSTOMERS_QUERY: bulkCustomersQuery(),
  BULK_PRODUCTS_QUERY: bulkProductsQuery(),
  BULK_COLLECTIONS_QUERY: bulkCollectionsQuery(),
  BULK_ORDERS_QUERY: bulkOrdersQuery(),
  BULK_CUSTOMERS_UPDATED_SINCE_QUERY: bulkCustomersQuery(sampleSearch),
  BULK_PRODUCTS_UPDATED_SINCE_QUERY: bulkProductsQuery(sampleSearch),
  BULK_ORDERS_UPDATED_SINCE_QUERY: bulkOrdersQuery(sampleSearch),
};
