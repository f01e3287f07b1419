/**
 * A customer's lifecycle stage at the moment of an order, from their earlier orders only, with
 * the analytics' own stage rules: what the storefront would have read from customer_metrics then.
 */
import { lifecycleStage } from "~/services/analytics/models/lifecycle";
import { customerOrderRange, type PurchaseIndex } from "./purchase-index";
import type { LifecycleStage } from "./types";
import { MS_PER_DAY } from "./types";

/** The shop's mean gap between a customer's consecutive orders, in days (60 without any). */
export function shopCadenceDays(index: PurchaseIndex): number {
  let gaps = 0;
  let total = 0;
  for (let c = 0; c < index.customerIds.length; c++) {
    if (index.customerIds[c] === null) continue;
    const [first, end] = customerOrderRange(index, c);
    if (end - first < 2) continue;
    gaps += end - first - 1;
    total += ((index.orderTimeMs[end - 1] ?? 0) - (index.orderTimeMs[first] ?? 0)) / MS_PER_DAY;
  }
  return gaps > 0 && total > 0 ? total / gaps : 60;
}

export function stageBefore(
  index: PurchaseIndex,
  customer: number,
  order: number,
  shopCadence: number,
): LifecycleStage {
  const [first] = customerOrderRange(index, customer);
  const count = order - first;
  if (count <= 0) return "prospect";
  const atMs = index.orderTimeMs[order] ?? 0;
  const firstMs = index.orderTimeMs[first] ?? 0;
  const lastMs = index.orderTimeMs[order - 1] ?? 0;
  const previousMs = index.orderTimeMs[order - 2] ?? lastMs;
  return lifecycleStage(
    {
      ordersCount: count,
      daysSinceLastOrder: (atMs - lastMs) / MS_PER_DAY,
      avgDaysBetweenOrders: count > 1 ? (lastMs - firstMs) / MS_PER_DAY / (count - 1) : null,
      daysBetweenLastTwoOrders: count > 1 ? (lastMs - previousMs) / MS_PER_DAY : null,
    },
    null,
    { shopAvgDaysBetweenOrders: Math.max(1, shopCadence) },
  );
}
