/**
 * Purchase history turned into integer-indexed, typed-array form so the model builders can run
 * over a million lines without per-line objects. Everything is sorted canonically (products by
 * id, customers by id, orders by time then id) so results do not depend on input order.
 */
import { compareProductIds } from "./product-order";
import type { HistoryEntry, Purchase } from "./types";

export interface PurchaseIndex {
  /** Product ids sorted by `compareProductIds`; a product's index is its position here. */
  productIds: readonly string[];
  productIndex: ReadonlyMap<string, number>;
  /** One slot per customer; guest orders each get their own slot with a null id. */
  customerIds: readonly (string | null)[];
  customerIndex: ReadonlyMap<string, number>;
  /** Orders grouped by customer slot, oldest first within a customer. */
  orderIds: readonly string[];
  orderTimeMs: Float64Array;
  orderCustomer: Int32Array;
  /** CSR: the distinct products of order o are orderItems[orderItemStart[o] .. orderItemStart[o+1]). */
  orderItemStart: Int32Array;
  orderItems: Int32Array;
  /** CSR: the orders of customer c are customerOrderStart[c] .. customerOrderStart[c+1]. */
  customerOrderStart: Int32Array;
  minTimeMs: number;
  maxTimeMs: number;
}

/** One order's products, the unit the index is built from. */
export interface OrderProducts {
  orderId: string;
  customerId: string | null;
  timeMs: number;
  productIds: string[];
}

/** Lines with a non-positive quantity (refund adjustments) or an invalid date are ignored. */
export function indexPurchases(purchases: Iterable<Purchase>): PurchaseIndex {
  const drafts = new Map<string, OrderProducts>();
  for (const purchase of purchases) {
    const timeMs = purchase.at.getTime();
    if (!(purchase.quantity > 0) || !Number.isFinite(timeMs)) continue;
    const draft = drafts.get(purchase.orderId);
    if (draft) {
      draft.productIds.push(purchase.productId);
      // An order happens once; its earliest line time stands for all of it.
      draft.timeMs = Math.min(draft.timeMs, timeMs);
      draft.customerId ??= purchase.customerId;
    } else {
      drafts.set(purchase.orderId, {
        orderId: purchase.orderId,
        customerId: purchase.customerId,
        timeMs,
        productIds: [purchase.productId],
      });
    }
  }
  return indexOrders(drafts.values());
}

/** The index of whole orders (each order id once), e.g. as read order by order from the database. */
export function indexOrders(input: Iterable<OrderProducts>): PurchaseIndex {
  const productSet = new Set<string>();
  const orderList: OrderProducts[] = [];
  for (const order of input) {
    if (!Number.isFinite(order.timeMs) || order.productIds.length === 0) continue;
    for (const productId of order.productIds) productSet.add(productId);
    orderList.push(order);
  }
  const productIds = [...productSet].sort(compareProductIds);
  const productIndex = new Map(productIds.map((id, index) => [id, index]));
  const orders = orderList.sort(compareOrders);

  const customerIds: (string | null)[] = [];
  const customerIndex = new Map<string, number>();
  const customerOrderStart: number[] = [];
  const orderItems: number[] = [];
  const orderItemStart = new Int32Array(orders.length + 1);
  const orderTimeMs = new Float64Array(orders.length);
  const orderCustomer = new Int32Array(orders.length);
  let minTimeMs = Infinity;
  let maxTimeMs = -Infinity;

  orders.forEach((order, o) => {
    const previous = orders[o - 1];
    const startsCustomer =
      order.customerId === null ||
      previous === undefined ||
      previous.customerId !== order.customerId;
    if (startsCustomer) {
      customerOrderStart.push(o);
      customerIds.push(order.customerId);
      if (order.customerId !== null) customerIndex.set(order.customerId, customerIds.length - 1);
    }
    orderCustomer[o] = customerIds.length - 1;
    orderTimeMs[o] = order.timeMs;
    minTimeMs = Math.min(minTimeMs, order.timeMs);
    maxTimeMs = Math.max(maxTimeMs, order.timeMs);
    const items = [...new Set(order.productIds.map((id) => productIndex.get(id) ?? -1))];
    items.sort((a, b) => a - b);
    orderItems.push(...items);
    orderItemStart[o + 1] = orderItems.length;
  });
  customerOrderStart.push(orders.length);

  return {
    productIds,
    productIndex,
    customerIds,
    customerIndex,
    orderIds: orders.map((order) => order.orderId),
    orderTimeMs,
    orderCustomer,
    orderItemStart,
    orderItems: Int32Array.from(orderItems),
    customerOrderStart: Int32Array.from(customerOrderStart),
    minTimeMs,
    maxTimeMs,
  };
}

/** Customers by id (guests last), then oldest order first, then order id. */
function compareOrders(a: OrderProducts, b: OrderProducts): number {
  if (a.customerId !== b.customerId) {
    if (a.customerId === null) return 1;
    if (b.customerId === null) return -1;
    return compareProductIds(a.customerId, b.customerId);
  }
  return a.timeMs - b.timeMs || compareProductIds(a.orderId, b.orderId);
}

/** The products of order `o` as indices. */
export function orderProducts(index: PurchaseIndex, o: number): Int32Array {
  return index.orderItems.subarray(index.orderItemStart[o] ?? 0, index.orderItemStart[o + 1] ?? 0);
}

/** A customer's orders [first, end) in the index, oldest first. */
export function customerOrderRange(index: PurchaseIndex, c: number): [number, number] {
  return [index.customerOrderStart[c] ?? 0, index.customerOrderStart[c + 1] ?? 0];
}

/** The history of orders [first, end) as entries for the personal recommenders. */
export function historyOfOrders(index: PurchaseIndex, first: number, end: number): HistoryEntry[] {
  const history: HistoryEntry[] = [];
  for (let o = first; o < end; o++) {
    const at = new Date(index.orderTimeMs[o] ?? 0);
    for (const p of orderProducts(index, o)) {
      history.push({ productId: index.productIds[p] ?? "", at });
    }
  }
  return history;
}

/** Builders accept raw purchases or an index built once and shared. */
export function asPurchaseIndex(input: Iterable<Purchase> | PurchaseIndex): PurchaseIndex {
  return "orderItems" in input ? input : indexPurchases(input);
}
