import { ZodError } from "zod/v4";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import type { InboxEvent } from "./inbox-queue.server";
import { parseJsonExact } from "./parse-json-exact";
import type {
  CheckoutRecord,
  CustomerRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  TombstoneRecord,
} from "./records";
import {
  checkoutFromRest,
  customerFromRest,
  orderFromRest,
  productFromRest,
  refundFromRest,
  tombstoneFromRest,
} from "./rest-records";
import {
  tombstoneCustomers,
  tombstoneProducts,
  writeCheckouts,
  writeCustomers,
  writeOrders,
  writeProducts,
  writeRefunds,
} from "./write-records.server";

/** Records of one shop's batch, grouped by kind so each kind is one statement. */
export interface RecordBatch {
  customers: CustomerRecord[];
  deletedCustomers: TombstoneRecord[];
  orders: OrderRecord[];
  refunds: RefundRecord[];
  products: ProductRecord[];
  deletedProducts: TombstoneRecord[];
  checkouts: CheckoutRecord[];
}

export const emptyBatch = (): RecordBatch => ({
  customers: [],
  deletedCustomers: [],
  orders: [],
  refunds: [],
  products: [],
  deletedProducts: [],
  checkouts: [],
});

/** Topics whose effect is applied elsewhere (at receipt, or by the privacy and backfill jobs). */
export const NON_DATA_TOPICS = new Set([
  "app/uninstalled",
  "app/scopes_update",
  "bulk_operations/finish",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

export class UnprocessableEventError extends Error {}

/** Adds one event's records to the batch; throws UnprocessableEventError for bad data. */
export function addEventToBatch(batch: RecordBatch, event: InboxEvent): void {
  let body: unknown;
  try {
    body = parseJsonExact(event.payload);
  } catch {
    throw new UnprocessableEventError("body is not valid JSON");
  }
  const reportedAt = event.triggeredAt ?? event.receivedAt;
  try {
    switch (event.topic) {
      case "customers/create":
      case "customers/update":
        batch.customers.push(customerFromRest(body));
        return;
      case "customers/delete":
        batch.deletedCustomers.push(tombstoneFromRest(body, reportedAt));
        return;
      case "orders/create":
      case "orders/updated":
      case "orders/paid":
      case "orders/cancelled":
        batch.orders.push(orderFromRest(body));
        return;
      case "refunds/create":
        batch.refunds.push(refundFromRest(body));
        return;
      case "products/create":
      case "products/update":
        batch.products.push(productFromRest(body));
        return;
      case "products/delete":
        batch.deletedProducts.push(tombstoneFromRest(body, reportedAt));
        return;
      case "checkouts/create":
      case "checkouts/update":
        batch.checkouts.push(checkoutFromRest(body));
        return;
      default:
        throw new UnprocessableEventError(`no handler for topic ${event.topic}`);
    }
  } catch (error) {
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new UnprocessableEventError(`invalid ${event.topic} body: ${issues.join("; ")}`);
    }
    throw error;
  }
}

export interface AppliedChanges {
  customerIds: bigint[];
  orderIds: bigint[];
  productIds: bigint[];
}

/** Writes a batch in dependency order. Tombstones go last so a delete always wins. */
export async function applyRecordBatch(
  sql: SqlQueryable,
  shopId: number,
  batch: RecordBatch,
): Promise<AppliedChanges> {
  const customerIds = await writeCustomers(sql, shopId, batch.customers);
  const orderIds = await writeOrders(sql, shopId, batch.orders);
  await writeRefunds(sql, shopId, batch.refunds);
  const productIds = await writeProducts(sql, shopId, batch.products);
  await writeCheckouts(sql, shopId, batch.checkouts);
  await tombstoneCustomers(sql, shopId, batch.deletedCustomers);
  await tombstoneProducts(sql, shopId, batch.deletedProducts);
  const orderCustomers = batch.orders.flatMap((order) =>
    order.customerId ? [order.customerId] : [],
  );
  const changes = {
    customerIds: [
      ...new Set([...customerIds, ...orderCustomers, ...batch.deletedCustomers.map((t) => t.id)]),
    ],
    orderIds: [...orderIds, ...batch.refunds.map((refund) => refund.orderId)],
    productIds: [...productIds, ...batch.deletedProducts.map((t) => t.id)],
  };
  await markCustomersDirty(sql, shopId, changes);
  return changes;
}
