import { message, type Message } from "~/i18n/message";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import {
  markAndClaimCustomers,
  type ClaimedCustomers,
  type RescoringOptions,
} from "~/services/analytics/refresh-dirty.server";
import { attributeOrders } from "~/services/analytics/email-attribution.server";
import { UnusableRecordError, type FieldWarning } from "./body-reader";
import type { InboxEvent } from "./inbox-queue.server";
import { parseJsonExact } from "~/lib/parse-json-exact";
import type {
  CheckoutRecord,
  CollectionRecord,
  CustomerRecord,
  OrderRecord,
  ProductRecord,
  RefundRecord,
  TombstoneRecord,
} from "./records";
import {
  checkoutFromRest,
  collectionFromRest,
  customerFromRest,
  orderFromRest,
  productFromRest,
  refundFromRest,
  tombstoneFromRest,
  type RestParseContext,
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
import { tombstoneCollections, writeCollections } from "./write-collections.server";

/** Records of one shop's batch, grouped by kind so each kind is one statement. */
export interface RecordBatch {
  customers: CustomerRecord[];
  deletedCustomers: TombstoneRecord[];
  orders: OrderRecord[];
  refunds: RefundRecord[];
  products: ProductRecord[];
  deletedProducts: TombstoneRecord[];
  checkouts: CheckoutRecord[];
  collections: CollectionRecord[];
  deletedCollections: TombstoneRecord[];
}

export const emptyBatch = (): RecordBatch => ({
  customers: [],
  deletedCustomers: [],
  orders: [],
  refunds: [],
  products: [],
  deletedProducts: [],
  checkouts: [],
  collections: [],
  deletedCollections: [],
});

/** Topics whose effect is applied elsewhere (at receipt, or by the privacy and backfill jobs). */
export const NON_DATA_TOPICS = new Set([
  "app/uninstalled",
  "app/scopes_update",
  "app_subscriptions/update",
  "bulk_operations/finish",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

/**
 * An event that can never apply: `message` says why for logs and support, `reason` for the
 * merchant (a deadReasons.* key and its values, worded in their language by the admin).
 */
export class UnprocessableEventError extends Error {
  constructor(
    detail: string,
    readonly reason: Message,
  ) {
    super(detail);
  }
}

/** One event's records, and the fields that were dropped while reading it. */
export interface ParsedEvent {
  event: InboxEvent;
  records: RecordBatch;
  warnings: FieldWarning[];
}

/** Reads one event into records; throws UnprocessableEventError when nothing usable is in it. */
export function parseEvent(event: InboxEvent): ParsedEvent {
  let body: unknown;
  try {
    body = parseJsonExact(event.payload);
  } catch {
    throw new UnprocessableEventError(
      "Shopify's message for this update arrived incomplete or damaged, so it can't be read.",
      message("deadReasons.damaged"),
    );
  }
  const context: RestParseContext = {
    reportedAt: event.triggeredAt ?? event.receivedAt,
    warnings: [],
  };
  const records = emptyBatch();
  try {
    switch (event.topic) {
      case "customers/create":
      case "customers/update":
        records.customers.push(customerFromRest(body, context));
        break;
      case "customers/delete":
        records.deletedCustomers.push(tombstoneFromRest(body, context.reportedAt));
        break;
      case "orders/create":
      case "orders/updated":
      case "orders/paid":
      case "orders/cancelled":
        records.orders.push(orderFromRest(body, context));
        break;
      case "refunds/create":
        records.refunds.push(refundFromRest(body, context));
        break;
      case "products/create":
      case "products/update":
        records.products.push(productFromRest(body, context));
        break;
      case "products/delete":
        records.deletedProducts.push(tombstoneFromRest(body, context.reportedAt));
        break;
      case "collections/create":
      case "collections/update":
        records.collections.push(collectionFromRest(body, context));
        break;
      case "collections/delete":
        records.deletedCollections.push(tombstoneFromRest(body, context.reportedAt));
        break;
      case "checkouts/create":
      case "checkouts/update":
        records.checkouts.push(checkoutFromRest(body, context));
        break;
      default:
        throw new UnprocessableEventError(
          "Rekindle doesn't handle this kind of update.",
          message("deadReasons.unhandledTopic"),
        );
    }
  } catch (error) {
    if (error instanceof UnusableRecordError) {
      throw new UnprocessableEventError(error.message, error.reason);
    }
    throw error;
  }
  return { event, records, warnings: context.warnings };
}

/** The records of several events as one batch, so each kind is written in one statement. */
export function batchOf(events: readonly ParsedEvent[]): RecordBatch {
  const batch = emptyBatch();
  for (const { records } of events) {
    for (const kind of Object.keys(batch) as Array<keyof RecordBatch>) {
      (batch[kind] as unknown[]).push(...records[kind]);
    }
  }
  return batch;
}

export interface AppliedChanges {
  customerIds: bigint[];
  orderIds: bigint[];
  productIds: bigint[];
}

/**
 * Writes a batch in dependency order. Tombstones go last so a delete always wins. The customers
 * it changed are marked for rescoring; with `rescoring`, the marks are also claimed and what
 * rescoring them needs is read in the same statement (`claimed`, for rescoreClaimed once the
 * transaction has committed).
 */
export async function applyRecordBatch(
  sql: SqlQueryable,
  shopId: number,
  batch: RecordBatch,
  rescoring?: RescoringOptions,
): Promise<{ changes: AppliedChanges; claimed: ClaimedCustomers | null }> {
  const customerIds = await writeCustomers(sql, shopId, batch.customers);
  const orderIds = await writeOrders(sql, shopId, batch.orders);
  await attributeOrders(sql, shopId, orderIds);
  await writeRefunds(sql, shopId, batch.refunds);
  const productIds = await writeProducts(sql, shopId, batch.products);
  await writeCheckouts(sql, shopId, batch.checkouts);
  // Their products are read afterwards by the collection-members job (the bodies list none).
  await writeCollections(sql, shopId, batch.collections);
  await tombstoneCustomers(sql, shopId, batch.deletedCustomers);
  await tombstoneProducts(sql, shopId, batch.deletedProducts);
  await tombstoneCollections(sql, shopId, batch.deletedCollections);
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
  if (!rescoring) {
    await markCustomersDirty(sql, shopId, changes);
    return { changes, claimed: null };
  }
  return { changes, claimed: await markAndClaimCustomers(sql, shopId, changes, rescoring) };
}
