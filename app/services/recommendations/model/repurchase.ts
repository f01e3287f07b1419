/**
 * Per-product repurchase rate: of the customers who bought a product, the share who bought it
 * again in a later order. Rates are shrunk toward the catalogue-wide rate so a product bought by
 * two customers, one of whom came back, does not claim a 50% rate.
 */
import {
  asPurchaseIndex,
  customerOrderRange,
  orderProducts,
  type PurchaseIndex,
} from "./purchase-index";
import type { Purchase } from "./types";

/** Product id → smoothed repurchase rate in [0, 1]. */
export type RepurchaseRates = ReadonlyMap<string, number>;

export interface RepurchaseOptions {
  /** Pseudo-customers at the catalogue-wide rate added to every product. */
  priorStrength: number;
}

export function buildRepurchaseRates(
  input: Iterable<Purchase> | PurchaseIndex,
  options: Partial<RepurchaseOptions> = {},
): RepurchaseRates {
  const index = asPurchaseIndex(input);
  const priorStrength = options.priorStrength ?? 5;
  const productCount = index.productIds.length;
  const buyers = new Float64Array(productCount);
  const repeaters = new Float64Array(productCount);
  const ordersOfProduct = new Map<number, number>();

  for (let c = 0; c < index.customerIds.length; c++) {
    // Guests cannot be recognised when they come back, so they say nothing about repurchase.
    if (index.customerIds[c] === null) continue;
    ordersOfProduct.clear();
    const [first, end] = customerOrderRange(index, c);
    for (let o = first; o < end; o++) {
      for (const p of orderProducts(index, o))
        ordersOfProduct.set(p, (ordersOfProduct.get(p) ?? 0) + 1);
    }
    for (const [p, orders] of ordersOfProduct) {
      buyers[p] = (buyers[p] ?? 0) + 1;
      if (orders > 1) repeaters[p] = (repeaters[p] ?? 0) + 1;
    }
  }

  const totalBuyers = buyers.reduce((sum, n) => sum + n, 0);
  const totalRepeaters = repeaters.reduce((sum, n) => sum + n, 0);
  const globalRate = totalBuyers > 0 ? totalRepeaters / totalBuyers : 0;
  const rates = new Map<string, number>();
  index.productIds.forEach((productId, p) => {
    const rate =
      ((repeaters[p] ?? 0) + priorStrength * globalRate) / ((buyers[p] ?? 0) + priorStrength);
    rates.set(productId, Number.isFinite(rate) ? rate : 0);
  });
  return rates;
}
