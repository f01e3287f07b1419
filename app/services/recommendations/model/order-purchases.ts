/**
 * Shopify-shaped orders turned into purchase lines for the model. Only the fields used are
 * required, so both synced rows and the generated dev store fit. What counts as a purchase:
 *  - cancelled and test orders are not purchases;
 *  - refunded units are subtracted from their line, so a fully returned line does not count
 *    (the index drops lines whose quantity falls to zero);
 *  - gift cards say nothing about taste, so they are left out.
 */
import type { Purchase } from "./types";

type Id = string | number | bigint;

export interface OrderForPurchases {
  id: Id;
  customerId: Id | null;
  processedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  lineItems: readonly {
    id: Id;
    productId: Id | null;
    quantity: number;
    giftCard: boolean;
  }[];
  refunds: readonly { lines: readonly { lineItemId: Id; quantity: number }[] }[];
}

export function purchasesFromOrders(orders: Iterable<OrderForPurchases>): Purchase[] {
  const purchases: Purchase[] = [];
  for (const order of orders) {
    if (order.cancelledAt !== null || order.test) continue;
    const refunded = new Map<string, number>();
    for (const refund of order.refunds) {
      for (const line of refund.lines) {
        const key = String(line.lineItemId);
        refunded.set(key, (refunded.get(key) ?? 0) + line.quantity);
      }
    }
    for (const line of order.lineItems) {
      if (line.giftCard || line.productId === null) continue;
      const quantity = line.quantity - (refunded.get(String(line.id)) ?? 0);
      if (quantity <= 0) continue;
      purchases.push({
        customerId: order.customerId === null ? null : String(order.customerId),
        orderId: String(order.id),
        productId: String(line.productId),
        at: order.processedAt,
        quantity,
      });
    }
  }
  return purchases;
}
