/**
 * Deterministic order histories shaped the way BG/NBD assumes people buy (Poisson purchases at a
 * gamma-distributed rate, dropping out after a purchase with a customer-specific probability),
 * sprinkled with every kind of order the metrics treat specially: refunds, cancellations,
 * zero-value and test orders. Shared by the recompute test and the analytics benchmark.
 */
import { seededRandom } from "../../../../tests/devstore/seeded-random";
import type { TestOrder } from "./order-rows";

const HOUR_MS = 3_600_000;

export interface HistoryOptions {
  customers: number;
  /** Latest possible order; first orders spread over `spanDays` before it. */
  asOf: Date;
  spanDays: number;
  /** Mean purchases per customer per day while active. */
  meanDailyRate: number;
  products: number;
  seed: number;
  firstOrderId?: bigint;
}

/** Yields each customer's orders in turn, so a million orders never sit in memory. */
export function* generateOrderHistories(options: HistoryOptions): Generator<TestOrder[]> {
  const random = seededRandom(options.seed);
  const end = options.asOf.getTime();
  let nextId = options.firstOrderId ?? 1000n;
  // A few products sell far more than the rest, as in real catalogues.
  const product = () => BigInt(1 + Math.floor(options.products * random() ** 2));
  for (let c = 1; c <= options.customers; c++) {
    const ratePerHour = (-Math.log(1 - random()) * options.meanDailyRate) / 24;
    const dropout = random() ** 3;
    // Customers differ in what they typically spend (Gamma-Gamma's heterogeneity in ν).
    const typicalSpend = 20 + -Math.log(1 - random()) * 80;
    let at = end - Math.floor(random() * options.spanDays * 24) * HOUR_MS;
    const orders: TestOrder[] = [];
    while (at <= end) {
      const total = random() < 0.05 ? 0 : Math.round(typicalSpend * (50 + random() * 100)) / 100;
      const roll = random();
      const lineCount = 1 + Math.floor(random() * 4);
      orders.push({
        id: nextId++,
        customerId: BigInt(c),
        processedAt: new Date(at),
        total,
        refunded: roll < 0.1 ? Math.round(total * 50) / 100 : roll < 0.15 ? total : 0,
        cancelled: roll >= 0.15 && roll < 0.22,
        test: roll >= 0.22 && roll < 0.25,
        lines: Array.from({ length: lineCount }, () => [product(), 1 + Math.floor(random() * 3)]),
      });
      if (random() < dropout) break;
      // Whole hours, so orders fall either side of midnight in any time zone.
      at += Math.max(1, Math.round(-Math.log(1 - random()) / ratePerHour)) * HOUR_MS;
    }
    yield orders;
  }
}
