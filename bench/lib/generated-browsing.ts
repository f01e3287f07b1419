/**
 * Product views for the recommendations evaluation, generated from a store's orders (the CSVs
 * carry no browsing): before each order the customer looked at some of what they then bought,
 * and at products they did not buy, drawn by popularity as window shoppers browse. Seeded, so
 * a run is repeatable. The shares are assumptions, printed with the figures:
 *  - each product of an order was viewed beforehand with probability BOUGHT_VIEWED, 1–3 times
 *    within the BOUGHT_DAYS days before the order;
 *  - besides, NOISE_VIEWS views on average (geometric) of products drawn by order popularity,
 *    within the NOISE_DAYS days before the order.
 */
import type { CustomerView } from "../../app/services/recommendations/model/view-history";
import type { Purchase } from "../../app/services/recommendations/model/types";
import { MS_PER_DAY } from "../../app/services/recommendations/model/types";
import { seededRandom } from "../../app/lib/seeded-random";

export const BROWSING_ASSUMPTIONS = {
  BOUGHT_VIEWED: 0.5,
  BOUGHT_DAYS: 7,
  NOISE_VIEWS: 4,
  NOISE_DAYS: 14,
} as const;

const { BOUGHT_VIEWED, BOUGHT_DAYS, NOISE_VIEWS, NOISE_DAYS } = BROWSING_ASSUMPTIONS;

export function generateBrowsing(purchases: readonly Purchase[], seed: number): CustomerView[] {
  const random = seededRandom(seed);
  const orders = new Map<string, { customerId: string; atMs: number; products: Set<string> }>();
  // Every purchased line is one ticket: drawing a ticket draws a product by its popularity.
  const tickets: string[] = [];
  for (const purchase of purchases) {
    if (purchase.customerId === null) continue;
    tickets.push(purchase.productId);
    const order = orders.get(purchase.orderId) ?? {
      customerId: purchase.customerId,
      atMs: purchase.at.getTime(),
      products: new Set<string>(),
    };
    order.products.add(purchase.productId);
    orders.set(purchase.orderId, order);
  }
  const before = (atMs: number, days: number) =>
    new Date(atMs - (0.01 + random() * days) * MS_PER_DAY);
  const views: CustomerView[] = [];
  // Orders in a fixed order (ids sorted), so the same file always gives the same views.
  for (const id of [...orders.keys()].sort()) {
    const order = orders.get(id);
    if (!order) continue;
    const { customerId, atMs } = order;
    for (const productId of [...order.products].sort()) {
      if (random() >= BOUGHT_VIEWED) continue;
      const times = 1 + Math.floor(random() * 3);
      for (let i = 0; i < times; i++) {
        views.push({ customerId, productId, at: before(atMs, BOUGHT_DAYS) });
      }
    }
    // Geometric count with mean NOISE_VIEWS.
    while (random() < NOISE_VIEWS / (NOISE_VIEWS + 1)) {
      const productId = tickets[Math.floor(random() * tickets.length)];
      if (productId) views.push({ customerId, productId, at: before(atMs, NOISE_DAYS) });
    }
  }
  return views;
}
