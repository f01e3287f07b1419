/**
 * How much a customer's own history says about their next order, beyond what any shopper's
 * history would say. Personal recommendations can only beat popularity when it says more.
 *
 * For each customer with at least two orders, the last order is the target and the earlier ones
 * the history. lift = (target products also in the history) / (what the history would catch if
 * each of its products were in the target at that product's share of all targets).
 * The same is measured with orders shuffled between customers (each order keeps its date and
 * products, each customer their number of orders): that keeps popularity, its drift over time
 * and basket sizes, and breaks only who bought what. A real lift well above the shuffled one is
 * personal signal; equal lifts mean the history is worth no more than a stranger's.
 */
import { customerOrderRange, orderProducts, type PurchaseIndex } from "./purchase-index";

export interface RepeatSignal {
  /** Customers with a target and a history. */
  customers: number;
  /** Share of target products the same customer had bought before. */
  repeatShare: number;
  lift: number;
  /** Mean lift over the shuffles, and the lowest and highest seen. */
  shuffledLift: { mean: number; low: number; high: number };
}

interface CustomerOrders {
  /** Order indices into the purchase index. */
  orders: number[];
}

export function measureRepeatSignal(
  index: PurchaseIndex,
  options: { shuffles: number; random: () => number },
): RepeatSignal {
  const customers: CustomerOrders[] = [];
  for (let c = 0; c < index.customerIds.length; c++) {
    const [first, end] = customerOrderRange(index, c);
    if (index.customerIds[c] === null || end - first < 2) continue;
    customers.push({ orders: Array.from({ length: end - first }, (_, k) => first + k) });
  }
  const real = liftOf(index, customers);
  const shuffled: number[] = [];
  for (let s = 0; s < options.shuffles; s++) {
    shuffled.push(liftOf(index, shuffleOrders(index, customers, options.random)).lift);
  }
  return {
    customers: customers.length,
    repeatShare: real.repeatShare,
    lift: real.lift,
    shuffledLift: {
      mean: shuffled.reduce((sum, lift) => sum + lift, 0) / Math.max(1, shuffled.length),
      low: Math.min(...shuffled),
      high: Math.max(...shuffled),
    },
  };
}

function liftOf(
  index: PurchaseIndex,
  customers: readonly CustomerOrders[],
): { lift: number; repeatShare: number } {
  const targets = customers.map(({ orders }) => latestOrder(index, orders));
  const inTargets = new Float64Array(index.productIds.length);
  let targetProducts = 0;
  for (const target of targets) {
    for (const p of orderProducts(index, target)) inTargets[p] = (inTargets[p] ?? 0) + 1;
    targetProducts += orderProducts(index, target).length;
  }
  let caught = 0;
  let expected = 0;
  customers.forEach(({ orders }, k) => {
    const target = targets[k] ?? 0;
    const history = new Set<number>();
    for (const o of orders)
      if (o !== target) for (const p of orderProducts(index, o)) history.add(p);
    for (const p of orderProducts(index, target)) if (history.has(p)) caught++;
    for (const p of history) expected += (inTargets[p] ?? 0) / targets.length;
  });
  return {
    lift: expected > 0 ? caught / expected : 0,
    repeatShare: targetProducts > 0 ? caught / targetProducts : 0,
  };
}

/** The latest of the orders (ties broken by position, as the index orders them). */
function latestOrder(index: PurchaseIndex, orders: readonly number[]): number {
  let latest = orders[0] ?? 0;
  for (const o of orders)
    if ((index.orderTimeMs[o] ?? 0) >= (index.orderTimeMs[latest] ?? 0)) latest = o;
  return latest;
}

/** The same orders dealt out again at random, each customer keeping their number of orders. */
function shuffleOrders(
  index: PurchaseIndex,
  customers: readonly CustomerOrders[],
  random: () => number,
): CustomerOrders[] {
  const pool = customers.flatMap(({ orders }) => orders);
  for (let k = pool.length - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    [pool[k], pool[j]] = [pool[j] ?? 0, pool[k] ?? 0];
  }
  let next = 0;
  return customers.map(({ orders }) => {
    const dealt = pool.slice(next, next + orders.length);
    next += orders.length;
    return { orders: dealt };
  });
}
