import { uptime, loadavg } from "node:os";
import {
  WEEK_SLOTS,
  bestSlot,
  hourOfWeek,
  shopProfile,
  shrunkProfile,
} from "../app/services/send-timing/hour-of-week";
import { FIXED_END_DATE, generateStore } from "../tests/devstore/generator/generate-store";
import { HABIT_ASSUMPTIONS, generateOrderHours } from "./lib/generated-order-hours";
import { readOrdersCsv } from "./lib/orders-csv";

// npm run eval:send-time [-- --orders FILE.csv[.gz]] [--json]
//
// Does the customer's predicted best hour of the week (app/services/send-timing/hour-of-week.ts,
// their orders shrunk toward the shop's with k pseudo-orders) hit the hour of their next order
// better than what a merchant would otherwise do: send at the shop's best hour, or send
// immediately (when the email becomes due, here a uniformly random hour)? Each customer with two
// or more orders has their last order held out; customers are split 30/70 into validation and
// test; k is tuned on validation customers only; hit rates (within ±1 h and ±3 h of the actual
// hour of week) are reported on test customers with a 95% interval, and the difference to each
// baseline with a paired 95% interval.
// Datasets: a store export in the order-lines CSV (--orders), else the generated dev store (its
// order times carry no habit: the honest null case) and generated orders with habits
// (bench/lib/generated-order-hours.ts, its assumptions printed). CDNOW and the groceries data
// have dates without times of day, so hours of the week cannot be evaluated on them.

const argv = process.argv.slice(2);
const at = argv.indexOf("--orders");
const ordersFile = at >= 0 ? argv[at + 1] : undefined;
const asJson = argv.includes("--json");
const K_GRID = [0, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];
const WINDOWS = [1, 3];

interface Order {
  customerId: string;
  at: Date;
}

interface Held {
  customerId: string;
  history: number[]; // slot counts of the earlier orders
  next: number; // the held-out order's slot
  validation: boolean;
  dueSlot: number; // when "send immediately" would send
}

/** A stable 0..1 per customer id (FNV-1a), for the split and the due hour. */
function hashUnit(text: string, salt: number): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 4294967296;
}

function holdOut(orders: readonly Order[], timeZone: string) {
  const byCustomer = new Map<string, Date[]>();
  for (const order of orders) {
    const list = byCustomer.get(order.customerId) ?? [];
    list.push(order.at);
    byCustomer.set(order.customerId, list);
  }
  const shopCounts = new Array<number>(WEEK_SLOTS).fill(0);
  const held: Held[] = [];
  for (const [customerId, times] of byCustomer) {
    times.sort((a, b) => a.getTime() - b.getTime());
    const slots = times.map((time) => hourOfWeek(time, timeZone));
    const earlier = times.length >= 2 ? slots.slice(0, -1) : slots;
    for (const slot of earlier) shopCounts[slot] = (shopCounts[slot] ?? 0) + 1;
    const next = slots[slots.length - 1];
    if (times.length < 2 || next === undefined) continue;
    const history = new Array<number>(WEEK_SLOTS).fill(0);
    for (const slot of earlier) history[slot] = (history[slot] ?? 0) + 1;
    held.push({
      customerId,
      history,
      next,
      validation: hashUnit(customerId, 1) < 0.3,
      dueSlot: Math.floor(hashUnit(customerId, 2) * WEEK_SLOTS),
    });
  }
  return { held, shop: shopProfile(shopCounts) };
}

const distance = (a: number, b: number) => {
  const d = Math.abs(a - b) % WEEK_SLOTS;
  return Math.min(d, WEEK_SLOTS - d);
};

function hits(customers: readonly Held[], predict: (c: Held) => number, window: number) {
  return customers.map((c) => (distance(predict(c), c.next) <= window ? 1 : 0));
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/** Wilson 95% interval of a proportion. */
function wilson(xs: readonly number[]): [number, number] {
  const n = xs.length;
  const p = mean(xs);
  const z = 1.96;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [centre - half, centre + half];
}

/** Paired difference of two hit lists: mean and normal 95% interval. */
function pairedDifference(a: readonly number[], b: readonly number[]) {
  const d = a.map((x, i) => x - (b[i] ?? 0));
  const m = mean(d);
  const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, d.length - 1));
  const half = (1.96 * sd) / Math.sqrt(Math.max(1, d.length));
  return { mean: m, low: m - half, high: m + half };
}

function evaluate(dataset: string, orders: readonly Order[], timeZone: string) {
  const { held, shop } = holdOut(orders, timeZone);
  const validation = held.filter((c) => c.validation);
  const test = held.filter((c) => !c.validation);
  const results = WINDOWS.map((window) => {
    const modelSlot = (k: number) => (c: Held) =>
      bestSlot(shrunkProfile(c.history, shop, k), window);
    // k tuned on validation customers only.
    const tuning = K_GRID.map((k) => ({ k, rate: mean(hits(validation, modelSlot(k), window)) }));
    const best = tuning.reduce((a, b) => (b.rate > a.rate ? b : a));
    const shopSlot = bestSlot(shop, window);
    const model = hits(test, modelSlot(best.k), window);
    const shopWide = hits(test, () => shopSlot, window);
    const immediate = hits(test, (c) => c.dueSlot, window);
    const rate = (xs: number[]) => ({ rate: mean(xs), interval: wilson(xs) });
    return {
      window,
      k: best.k,
      validationRates: tuning,
      model: rate(model),
      shopBestHour: rate(shopWide),
      sendImmediately: rate(immediate),
      modelMinusShop: pairedDifference(model, shopWide),
      modelMinusImmediate: pairedDifference(model, immediate),
    };
  });
  return {
    dataset,
    timeZone,
    orders: orders.length,
    customersHeldOut: held.length,
    validation: validation.length,
    test: test.length,
    results,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
function print(report: ReturnType<typeof evaluate>) {
  console.log(
    `\n${report.dataset} (${report.timeZone}): ${report.orders} orders, ` +
      `${report.customersHeldOut} customers with a held-out next order ` +
      `(${report.validation} validation, ${report.test} test)`,
  );
  for (const r of report.results) {
    const interval = (i: [number, number]) => `[${pct(i[0])}, ${pct(i[1])}]`;
    const diff = (d: { mean: number; low: number; high: number }) =>
      `${d.mean >= 0 ? "+" : ""}${(d.mean * 100).toFixed(1)} pts [${(d.low * 100).toFixed(1)}, ${(d.high * 100).toFixed(1)}]`;
    console.log(
      `  within ±${r.window} h — k tuned on validation: ${r.k} ` +
        `(validation hit rates: ${r.validationRates.map((v) => `k=${v.k} ${pct(v.rate)}`).join(", ")})`,
    );
    console.log(
      `    customer's best hour   ${pct(r.model.rate)} ${interval(r.model.interval)}\n` +
        `    shop's best hour       ${pct(r.shopBestHour.rate)} ${interval(r.shopBestHour.interval)}` +
        `   difference ${diff(r.modelMinusShop)}\n` +
        `    send immediately       ${pct(r.sendImmediately.rate)} ${interval(r.sendImmediately.interval)}` +
        `   difference ${diff(r.modelMinusImmediate)}`,
    );
  }
}

async function csvOrders(file: string): Promise<Order[]> {
  const csv = await readOrdersCsv(file);
  const seen = new Map<string, Order>();
  for (const p of csv.purchases) {
    if (p.customerId === null) continue;
    seen.set(`${p.customerId}|${p.orderId}`, { customerId: String(p.customerId), at: p.at });
  }
  return [...seen.values()];
}

function devstoreOrders(): { orders: Order[]; timeZone: string } {
  const store = generateStore({ seed: 1, orders: 20_000, endDate: FIXED_END_DATE });
  const orders = store.orders
    .filter((order) => order.customerId !== null && order.cancelledAt === null)
    .map((order) => ({ customerId: String(order.customerId), at: order.createdAt }));
  return { orders, timeZone: store.shop.ianaTimezone };
}

const started = performance.now();
const reports = [];
if (ordersFile) {
  reports.push(evaluate(ordersFile, await csvOrders(ordersFile), "UTC"));
} else {
  const dev = devstoreOrders();
  reports.push(evaluate("generated dev store (no hour habits)", dev.orders, dev.timeZone));
  reports.push(evaluate("generated orders with hour habits", generateOrderHours(7), "UTC"));
}
if (asJson) {
  console.log(JSON.stringify(reports));
} else {
  if (!ordersFile) console.log(`habit assumptions: ${JSON.stringify(HABIT_ASSUMPTIONS)}`);
  for (const report of reports) print(report);
  console.log(
    `\n${((performance.now() - started) / 1000).toFixed(1)} s; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (machine up ${Math.round(uptime() / 60)} min)`,
  );
}
