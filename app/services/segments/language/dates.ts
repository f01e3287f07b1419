const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Start of a `YYYY-MM-DD` calendar day in UTC (ms), or undefined if no such day exists. */
export function parseCalendarDay(text: string): number | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1) return undefined;
  const start = Date.UTC(year, month - 1, day);
  const roundTrip = new Date(start);
  // Date.UTC rolls 2025-02-30 over to March; a real day survives the round trip unchanged.
  const valid =
    roundTrip.getUTCFullYear() === year &&
    roundTrip.getUTCMonth() === month - 1 &&
    roundTrip.getUTCDate() === day;
  return valid ? start : undefined;
}

export function nextDayStart(dayStart: number): number {
  return dayStart + DAY_MS;
}

/** `YYYY-MM-DD HH:MM:SS.mmm`, the form PostgreSQL reads into `timestamp` without a zone. */
export function formatUtcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

export function daysToMs(days: number): number {
  return days * DAY_MS;
}
