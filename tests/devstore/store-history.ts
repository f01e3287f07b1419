import type { StoreData, StoreOrder } from "./model";
import { customerRestBody, orderRestBody, productRestBody, refundRestBody } from "./rest-bodies";

export interface HistoryEvent {
  topic: string;
  body: unknown;
}

/**
 * The webhooks a shop's history produced, in the order it happened: each customer created
 * (an early version) then updated to what it is now, products created, each order placed
 * (before its refunds or cancellation) then refunded, cancelled and updated. Replaying them in
 * any order, with duplicates, must end in the store's current state.
 */
export function storeHistoryEvents(data: StoreData): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const customers = new Map(data.customers.map((customer) => [customer.id, customer]));
  for (const customer of data.customers) {
    const current = customerRestBody(customer, data.shop.currency);
    // A record changes only with a later updated_at: a customer untouched since creation has
    // just the one version.
    if (customer.updatedAt > customer.createdAt) {
      const first = { ...customer, tags: [], updatedAt: customer.createdAt };
      events.push({ topic: "customers/create", body: customerRestBody(first, data.shop.currency) });
      events.push({ topic: "customers/update", body: current });
    } else {
      events.push({ topic: "customers/create", body: current });
    }
  }
  for (const product of data.products) {
    events.push({ topic: "products/create", body: productRestBody(product) });
  }
  for (const order of data.orders) {
    const customer = order.customerId === null ? null : (customers.get(order.customerId) ?? null);
    const placed: StoreOrder = {
      ...order,
      refunds: [],
      cancelledAt: null,
      cancelReason: null,
      financialStatus: "PAID",
      updatedAt: order.processedAt,
    };
    events.push({ topic: "orders/create", body: orderRestBody(placed, customer) });
    for (const refund of order.refunds) {
      events.push({ topic: "refunds/create", body: refundRestBody(refund, order) });
    }
    if (order.cancelledAt) {
      events.push({ topic: "orders/cancelled", body: orderRestBody(order, customer) });
    }
    if (order.updatedAt > order.processedAt) {
      events.push({ topic: "orders/updated", body: orderRestBody(order, customer) });
    }
  }
  return events;
}
