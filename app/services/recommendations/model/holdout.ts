/**
 * Held-out orders for training and evaluation. Each customer with at least two orders gives:
 *  - test: their last order, trained on everything but the last orders;
 *  - validation: their second-to-last (customers with three or more orders, so it has a
 *    history), trained without the last two — tuning never sees a test order.
 * Training uses all customers' remaining orders (a global split: later orders of other
 * customers can be in training, traded for one fit instead of one per customer).
 */
import { customerOrderRange, type PurchaseIndex } from "./purchase-index";
import { viewsBefore, type ViewIndex } from "./view-history";

export type Split = "validation" | "test";

export interface HeldOutOrder {
  customer: number;
  /** The order to predict; the customer's earlier orders are their history. */
  order: number;
}

export interface HoldOut {
  targets: HeldOutOrder[];
  /** The orders training must not see. */
  hidden: Set<number>;
}

export function holdOut(index: PurchaseIndex, split: Split): HoldOut {
  const targets: HeldOutOrder[] = [];
  const hidden = new Set<number>();
  const fromEnd = split === "test" ? 1 : 2;
  for (let c = 0; c < index.customerIds.length; c++) {
    const [first, end] = customerOrderRange(index, c);
    if (index.customerIds[c] === null || end - first < 2) continue;
    // A customer's first order always stays in training.
    for (let o = Math.max(first + 1, end - fromEnd); o < end; o++) hidden.add(o);
    const order = end - fromEnd;
    if (order > first) targets.push({ customer: c, order });
  }
  return { targets, hidden };
}

/**
 * The index without some orders, keeping product and customer numbering (so the same product is
 * the same index in every split).
 */
export function withoutOrders(index: PurchaseIndex, hidden: ReadonlySet<number>): PurchaseIndex {
  const kept: number[] = [];
  for (let o = 0; o < index.orderIds.length; o++) if (!hidden.has(o)) kept.push(o);
  const orderItemStart = new Int32Array(kept.length + 1);
  const items: number[] = [];
  const orderTimeMs = new Float64Array(kept.length);
  const orderCustomer = new Int32Array(kept.length);
  const customerOrderStart = new Int32Array(index.customerIds.length + 1);
  let minTimeMs = Infinity;
  let maxTimeMs = -Infinity;
  kept.forEach((o, k) => {
    const timeMs = index.orderTimeMs[o] ?? 0;
    orderTimeMs[k] = timeMs;
    minTimeMs = Math.min(minTimeMs, timeMs);
    maxTimeMs = Math.max(maxTimeMs, timeMs);
    const customer = index.orderCustomer[o] ?? 0;
    orderCustomer[k] = customer;
    customerOrderStart[customer + 1] = (customerOrderStart[customer + 1] ?? 0) + 1;
    const end = index.orderItemStart[o + 1] ?? 0;
    for (let i = index.orderItemStart[o] ?? 0; i < end; i++) items.push(index.orderItems[i] ?? 0);
    orderItemStart[k + 1] = items.length;
  });
  for (let c = 0; c < index.customerIds.length; c++) {
    customerOrderStart[c + 1] = (customerOrderStart[c + 1] ?? 0) + (customerOrderStart[c] ?? 0);
  }
  return {
    ...index,
    orderIds: kept.map((o) => index.orderIds[o] ?? ""),
    orderTimeMs,
    orderCustomer,
    orderItemStart,
    orderItems: Int32Array.from(items),
    customerOrderStart,
    minTimeMs,
    maxTimeMs,
  };
}

/**
 * Customers whose only order followed product views: visitors without orders when they
 * browsed, whose first order is predicted from their views alone. Training must not see these
 * orders either (their baskets would otherwise link the very products their views point to).
 */
export function viewOnlyTargets(index: PurchaseIndex, views: ViewIndex): HeldOutOrder[] {
  const targets: HeldOutOrder[] = [];
  for (let c = 0; c < index.customerIds.length; c++) {
    const [first, end] = customerOrderRange(index, c);
    if (end - first !== 1) continue;
    const atMs = index.orderTimeMs[first] ?? 0;
    if (viewsBefore(views, index.customerIds[c] ?? null, atMs).length > 0) {
      targets.push({ customer: c, order: first });
    }
  }
  return targets;
}
