/** The hour of the day (0–23) at `at` in the shop's time zone. */
export function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" })
    .formatToParts(at)
    .find((part) => part.type === "hour")?.value;
  return Number(hour ?? 0);
}

/**
 * Whether `at` falls in the quiet hours [start, end) of the shop's day; a window may wrap
 * midnight (21 → 8). Equal start and end means no quiet hours.
 */
export function inQuietHours(
  at: Date,
  timeZone: string,
  quiet: { start: number; end: number },
): boolean {
  if (quiet.start === quiet.end) return false;
  const hour = localHour(at, timeZone);
  return quiet.start < quiet.end
    ? hour >= quiet.start && hour < quiet.end
    : hour >= quiet.start || hour < quiet.end;
}
