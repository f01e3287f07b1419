/**
 * Send-time optimisation, the arithmetic: a week has 168 hour slots (Monday 00:00 is slot 0, in
 * the shop's time zone); a customer's habit is how their orders (and, when recorded, opens and
 * clicks) fall over those slots. Few orders say little, so a customer's counts are shrunk toward
 * the shop's profile with `k` pseudo-orders (empirical Bayes: k = 0 trusts the customer alone,
 * a large k sends everyone at the shop's best hour). k is tuned on held-out orders by
 * `npm run eval:send-time` (bench/send-time-eval.ts), which reads this same module.
 */
import { inQuietHours, type QuietHours } from "./quiet-hours";

export const WEEK_SLOTS = 168;

/** Pseudo-orders a customer's own counts are shrunk with (tuned on validation orders). */
export const DEFAULT_SHRINKAGE = 2;

/** A slot's score also counts this many hours either side: an hour early or late still lands. */
export const DEFAULT_WINDOW_HOURS = 1;

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      hour: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The slot (0–167, Monday 00:00 first) that `at` falls in on the shop's clock. */
export function hourOfWeek(at: Date, timeZone: string): number {
  if (timeZone === "UTC") return ((at.getUTCDay() + 6) % 7) * 24 + at.getUTCHours();
  const parts = formatterFor(timeZone).formatToParts(at);
  const day = WEEKDAYS.indexOf(parts.find((part) => part.type === "weekday")?.value ?? "Mon");
  const hour = Number(parts.find((part) => part.type === "hour")?.value ?? 0);
  return Math.max(0, day) * 24 + hour;
}

/** How many of `times` fall in each slot. */
export function slotCounts(times: readonly Date[], timeZone: string): number[] {
  const counts = new Array<number>(WEEK_SLOTS).fill(0);
  for (const at of times) {
    const slot = hourOfWeek(at, timeZone);
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

/** The shop's profile as shares of its orders per slot; an empty shop is flat. */
export function shopProfile(counts: readonly number[]): number[] {
  // One pseudo-order per slot keeps a slot the shop has never sold in from scoring zero.
  const total = counts.reduce((sum, n) => sum + n, 0) + WEEK_SLOTS;
  return counts.map((n) => (n + 1) / total);
}

/** A customer's shares per slot: their own counts plus `k` pseudo-orders spread like the shop's. */
export function shrunkProfile(
  own: readonly number[],
  shop: readonly number[],
  k: number,
): number[] {
  const total = own.reduce((sum, n) => sum + n, 0);
  return own.map((n, slot) => (n + k * (shop[slot] ?? 0)) / (total + k));
}

/**
 * The profile's weight within `windowHours` of `slot` (the week wraps round), nearer hours
 * counting more, so that of an hour and its neighbours the hour itself scores highest.
 */
export function windowScore(profile: readonly number[], slot: number, windowHours: number): number {
  let score = 0;
  for (let d = -windowHours; d <= windowHours; d += 1) {
    const weight = windowHours + 1 - Math.abs(d);
    score += weight * (profile[(((slot + d) % WEEK_SLOTS) + WEEK_SLOTS) % WEEK_SLOTS] ?? 0);
  }
  return score;
}

/** The slot with the highest window score (the earliest in the week on a tie). */
export function bestSlot(profile: readonly number[], windowHours: number): number {
  let best = 0;
  let bestScore = -1;
  for (let slot = 0; slot < WEEK_SLOTS; slot += 1) {
    const score = windowScore(profile, slot, windowHours);
    if (score > bestScore) {
      best = slot;
      bestScore = score;
    }
  }
  return best;
}

export interface SendTimeChoice {
  now: Date;
  timeZone: string;
  /** The customer's (shrunk) profile; null sends as soon as quiet hours allow. */
  profile: readonly number[] | null;
  quiet: QuietHours;
  /** The latest the send may move to for a better hour. */
  maxDelayHours: number;
  windowHours?: number;
}

/**
 * When to send an email that is due `now`: now, or the start of a later hour (at most
 * `maxDelayHours` ahead) whose slot scores higher, never inside quiet hours. When every hour in
 * reach is quiet, the end of the quiet hours (quiet hours win over the delay bound). Never
 * earlier than `now`.
 */
export function chooseSendTime(choice: SendTimeChoice): Date {
  const { now, timeZone, profile, quiet } = choice;
  const windowHours = choice.windowHours ?? DEFAULT_WINDOW_HOURS;
  const minutesPast = Math.floor((now.getTime() % 3_600_000) / 60_000);
  // Hour starts on the shop's clock; zones with a half-hour offset start their hours at :30 UTC.
  const offsetMinutes = zoneMinuteOffset(now, timeZone);
  const toNextHour = (60 - ((minutesPast + offsetMinutes + 60) % 60)) % 60 || 60;
  const firstHour = new Date(now.getTime() + toNextHour * 60_000);
  firstHour.setUTCSeconds(0, 0);
  const candidates = [now];
  for (let h = 0; h < choice.maxDelayHours; h += 1) {
    candidates.push(new Date(firstHour.getTime() + h * 3_600_000));
  }
  let best: Date | null = null;
  let bestScore = -1;
  for (const at of candidates) {
    if (inQuietHours(at, timeZone, quiet)) continue;
    if (!profile) return at;
    const score = windowScore(profile, hourOfWeek(at, timeZone), windowHours);
    if (score > bestScore + 1e-12) {
      best = at;
      bestScore = score;
    }
  }
  if (best) return best;
  // Every hour in reach is quiet: the first hour after them.
  let at = firstHour;
  while (inQuietHours(at, timeZone, quiet)) at = new Date(at.getTime() + 3_600_000);
  return at;
}

/** Minutes the zone's clock is ahead of UTC, within the hour (30 for India, 45 for Nepal). */
function zoneMinuteOffset(at: Date, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  const minute = new Intl.DateTimeFormat("en-US", { timeZone, minute: "numeric" })
    .formatToParts(at)
    .find((part) => part.type === "minute")?.value;
  return (((Number(minute ?? 0) - at.getUTCMinutes()) % 60) + 60) % 60;
}
