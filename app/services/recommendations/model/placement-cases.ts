/**
 * Turns held-out orders into the requests each placement would have served, and what a good
 * answer would have contained:
 *  - for_you / lifecycle: the customer with their history (and stage); the whole order;
 *  - product_page: one product of the order as the viewed product; the rest of the order
 *    (one-product orders are skipped);
 *  - cart: half the order as the cart; the other half (one-product orders are skipped).
 * `fresh` is the part of the answer the customer had never bought before. With the shop's
 * product views, each request also carries the customer's views before the order.
 */
import type { HeldOutOrder } from "./holdout";
import type { Placement, PlacementRequest } from "./placements";
import {
  customerOrderRange,
  historyOfOrders,
  orderProducts,
  type PurchaseIndex,
} from "./purchase-index";
import { stageBefore } from "./stage-at";
import { viewsBefore, type ViewIndex } from "./view-history";

export interface PlacementCase {
  request: PlacementRequest;
  relevant: ReadonlySet<string>;
  fresh: ReadonlySet<string>;
}

export interface CaseOptions {
  k: number;
  shopCadence: number;
  random: () => number;
  /** Product views by customer; absent when the shop has none. */
  views?: ViewIndex;
}

export function placementCases(
  index: PurchaseIndex,
  targets: readonly HeldOutOrder[],
  placement: Placement,
  options: CaseOptions,
): PlacementCase[] {
  const cases: PlacementCase[] = [];
  for (const { customer, order } of targets) {
    const [first] = customerOrderRange(index, customer);
    const history = historyOfOrders(index, first, order);
    const basket = [...orderProducts(index, order)].map((p) => index.productIds[p] ?? "");
    const context = contextOf(placement, basket, options.random);
    if (context === null) continue;
    const shown = new Set(context);
    const relevant = new Set(basket.filter((id) => !shown.has(id)));
    const bought = new Set(history.map((entry) => entry.productId));
    const atMs = index.orderTimeMs[order] ?? 0;
    cases.push({
      request: {
        history,
        context,
        views: options.views
          ? viewsBefore(options.views, index.customerIds[customer] ?? null, atMs)
          : [],
        stage: stageBefore(index, customer, order, options.shopCadence),
        asOf: new Date(atMs),
        limit: options.k,
      },
      relevant,
      fresh: new Set([...relevant].filter((id) => !bought.has(id))),
    });
  }
  return cases;
}

/** The page context for the placement, or null when the order cannot test it. */
function contextOf(
  placement: Placement,
  basket: readonly string[],
  random: () => number,
): string[] | null {
  if (placement === "for_you" || placement === "lifecycle") return [];
  if (basket.length < 2) return null;
  const shuffled = shuffle(basket, random);
  return placement === "product_page"
    ? shuffled.slice(0, 1)
    : shuffled.slice(0, Math.floor(basket.length / 2));
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
