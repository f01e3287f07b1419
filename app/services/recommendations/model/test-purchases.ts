/** Builders for hand-made purchase histories in the model's unit tests. */
import type { Purchase } from "./types";
import { MS_PER_DAY } from "./types";

export const DAY0 = Date.UTC(2025, 0, 1);

/** Day `day` after 2025-01-01, UTC midnight. */
export function onDay(day: number): Date {
  return new Date(DAY0 + day * MS_PER_DAY);
}

/** One order of the given products, bought on `day` by `customerId`. */
export function basket(
  customerId: string | null,
  orderId: string,
  day: number,
  productIds: readonly string[],
): Purchase[] {
  return productIds.map((productId) => ({
    customerId,
    orderId,
    productId,
    at: onDay(day),
    quantity: 1,
  }));
}
