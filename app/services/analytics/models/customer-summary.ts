/**
 * Turns one customer's orders into the inputs of the models: the BG/NBD summary (x, tₓ, T in
 * days), the Gamma-Gamma mean repeat spend z̄, and plain per-customer metrics.
 *
 * What counts as a purchase: an order that is not cancelled, was processed on or before `asOf`,
 * and has a positive net amount (net of refunds). Zero-net orders — fully refunded, or free
 * (100 % discount, replacements) — carry no spend and are not evidence of buying, so they are not
 * purchases for any of the numbers here.
 *
 * Following Fader & Hardie's convention, purchases on the same calendar day (in the shop's time
 * zone) are merged into one transaction whose value is their sum, so x counts repeat purchase
 * days. Day arithmetic is on calendar days, so tₓ, T and the gaps are whole numbers.
 */
import type { BgNbdSummary } from "./bgnbd";
import { InvalidSummaryError } from "./errors";

export interface Order {
  processedAt: Date;
  /** Order total net of refunds, in the shop's currency. */
  netAmount: number;
  cancelled: boolean;
}

export interface CustomerMetrics {
  /** Purchases (see the module comment), counting same-day orders separately. */
  ordersCount: number;
  netRevenue: number;
  /** netRevenue / ordersCount; null without purchases. */
  aov: number | null;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  daysSinceLastOrder: number | null;
  /** Mean gap between purchase days, tₓ / x; null with fewer than two purchase days. */
  avgDaysBetweenOrders: number | null;
  /** Gap before the latest purchase day; lifecycle.ts uses it to recognise a reactivation. */
  daysBetweenLastTwoOrders: number | null;
}

export interface CustomerSummary {
  /** null when the customer has no purchase yet (a prospect is not in the BG/NBD population). */
  bgnbd: BgNbdSummary | null;
  /** Mean value of the repeat purchase days; 0 when x = 0. */
  zbar: number;
  metrics: CustomerMetrics;
}

export interface SummaryOptions {
  /** IANA zone whose calendar days define "same day" and day counts (default "UTC"). */
  timeZone?: string;
}

const MS_PER_DAY = 86_400_000;
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Each zone's last answer, by the whole second it was for: zone offsets are whole seconds, so
 * the date cannot change within one, and the rescoring of one customer after another asks for
 * the same second over and over (formatToParts is among the dearest steps of a rescoring).
 */
const lastDays = new Map<string, { second: number; day: number }>();

/** Days since 1970-01-01 of the calendar date of `instant` in `timeZone`. */
export function calendarDay(instant: Date, timeZone: string): number {
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastDays.get(timeZone);
  if (last?.second === second) return last.day;
  const day = formattedCalendarDay(instant, timeZone);
  lastDays.set(timeZone, { second, day });
  return day;
}

function formattedCalendarDay(instant: Date, timeZone: string): number {
  let formatter = dayFormatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part("year"), part("month") - 1, part("day")) / MS_PER_DAY;
}

interface PurchaseDay {
  day: number;
  value: number;
}

function purchaseDays(purchases: readonly Order[], timeZone: string): PurchaseDay[] {
  const valueOfDay = new Map<number, number>();
  for (const order of purchases) {
    const day = calendarDay(order.processedAt, timeZone);
    valueOfDay.set(day, (valueOfDay.get(day) ?? 0) + order.netAmount);
  }
  return [...valueOfDay]
    .map(([day, value]) => ({ day, value }))
    .sort((left, right) => left.day - right.day);
}

/**
 * What the summary needs from a customer's purchases; the database computes the same aggregates
 * in SQL for a whole shop (customer-history.server.ts), so both paths share summaryFromAggregates.
 */
export interface PurchaseAggregates {
  ordersCount: number;
  netRevenue: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
  /** Calendar days (see calendarDay) of the first, latest and second-latest purchase days. */
  firstDay: number;
  lastDay: number;
  previousDay: number | null;
  purchaseDays: number;
  /** Value of all purchase days but the first. */
  repeatValue: number;
}

const NO_PURCHASES: CustomerMetrics = {
  ordersCount: 0,
  netRevenue: 0,
  aov: null,
  firstOrderAt: null,
  lastOrderAt: null,
  daysSinceLastOrder: null,
  avgDaysBetweenOrders: null,
  daysBetweenLastTwoOrders: null,
};

export const EMPTY_SUMMARY: CustomerSummary = { bgnbd: null, zbar: 0, metrics: NO_PURCHASES };

/** The summary as of calendar day `today`; null aggregates mean no purchase yet. */
export function summaryFromAggregates(
  aggregates: PurchaseAggregates | null,
  today: number,
): CustomerSummary {
  if (aggregates === null || aggregates.ordersCount === 0) {
    return { ...EMPTY_SUMMARY, metrics: { ...NO_PURCHASES } };
  }
  const { firstDay, lastDay, previousDay, netRevenue, ordersCount } = aggregates;
  const x = aggregates.purchaseDays - 1;
  const tx = lastDay - firstDay;
  return {
    bgnbd: { x, tx, T: today - firstDay },
    zbar: x > 0 ? aggregates.repeatValue / x : 0,
    metrics: {
      ordersCount,
      netRevenue,
      aov: netRevenue / ordersCount,
      firstOrderAt: aggregates.firstOrderAt,
      lastOrderAt: aggregates.lastOrderAt,
      daysSinceLastOrder: today - lastDay,
      avgDaysBetweenOrders: x > 0 ? tx / x : null,
      daysBetweenLastTwoOrders: previousDay === null ? null : lastDay - previousDay,
    },
  };
}

/**
 * @throws InvalidSummaryError (index = the order's position) for an invalid date or a non-finite
 * amount, so the caller can log and skip that customer.
 */
export function summarizeCustomer(
  orders: readonly Order[],
  asOf: Date,
  options: SummaryOptions = {},
): CustomerSummary {
  const timeZone = options.timeZone ?? "UTC";
  orders.forEach((order, index) => {
    if (Number.isNaN(order.processedAt.getTime())) {
      throw new InvalidSummaryError("processedAt is not a valid date", index);
    }
    if (!Number.isFinite(order.netAmount)) {
      throw new InvalidSummaryError(`netAmount must be finite, got ${order.netAmount}`, index);
    }
  });
  const purchases = orders
    .filter((order) => !order.cancelled && order.netAmount > 0 && order.processedAt <= asOf)
    .sort((left, right) => left.processedAt.getTime() - right.processedAt.getTime());
  const days = purchaseDays(purchases, timeZone);
  const first = days[0];
  const last = days[days.length - 1];
  const firstPurchase = purchases[0];
  const lastPurchase = purchases[purchases.length - 1];
  const today = calendarDay(asOf, timeZone);
  if (!first || !last || !firstPurchase || !lastPurchase) return summaryFromAggregates(null, today);
  return summaryFromAggregates(
    {
      ordersCount: purchases.length,
      netRevenue: purchases.reduce((sum, { netAmount }) => sum + netAmount, 0),
      firstOrderAt: firstPurchase.processedAt,
      lastOrderAt: lastPurchase.processedAt,
      firstDay: first.day,
      lastDay: last.day,
      previousDay: days[days.length - 2]?.day ?? null,
      purchaseDays: days.length,
      repeatValue: days.slice(1).reduce((sum, { value }) => sum + value, 0),
    },
    today,
  );
}
