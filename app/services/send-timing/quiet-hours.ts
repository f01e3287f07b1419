/**
 * The shop's local clock: which hour it is there, whether that is inside quiet hours, and when a
 * given hour next comes round. Used by win-back runs, flow waits and every marketing send.
 */

/** The hour of the day (0–23) at `at` in the shop's time zone. */
export function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" })
    .formatToParts(at)
    .find((part) => part.type === "hour")?.value;
  return Number(hour ?? 0);
}

export interface QuietHours {
  start: number;
  end: number;
}

/**
 * Whether `at` falls in the quiet hours [start, end) of the shop's day; a window may wrap
 * midnight (21 → 8). Equal start and end means no quiet hours.
 */
export function inQuietHours(at: Date, timeZone: string, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  const hour = localHour(at, timeZone);
  return quiet.start < quiet.end
    ? hour >= quiet.start && hour < quiet.end
    : hour >= quiet.start || hour < quiet.end;
}

/**
 * The next time the shop's clock shows `hour`:`minute` (today if still ahead, else tomorrow).
 */
export function nextHourInZone(now: Date, hour: number, timeZone: string, minute = 0): Date {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    hour: "numeric",
    minute: "numeric",
  }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const minutesNow = value("hour") * 60 + value("minute");
  let ahead = hour * 60 + minute - minutesNow;
  if (ahead <= 0) ahead += 24 * 60;
  const at = new Date(now.getTime() + ahead * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}

/** `at` itself outside quiet hours, else the moment they end. */
export function afterQuietHours(at: Date, timeZone: string, quiet: QuietHours): Date {
  return inQuietHours(at, timeZone, quiet) ? nextHourInZone(at, quiet.end, timeZone) : at;
}
