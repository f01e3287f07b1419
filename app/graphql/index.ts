import * as bulkOperations from "./bulk-operations";
import * as reconciliation from "./reconciliation";
import * as shop from "./shop";
import * as winBack from "./win-back";

/**
 * Every Admin GraphQL document the app sends, by export name. A test validates each one
 * against the pinned Admin API schema.
 */
export const ADMIN_DOCUMENTS: Readonly<Record<string, string>> = {
  ...shop,
  ...bulkOperations,
  ...reconciliation,
  ...winBack,
};
