import { useTranslation } from "react-i18next";

/**
 * Numbers, money, percentages and dates written the way the merchant's language writes them
 * (digits, separators, month names), through Intl.
 */
export function formatsFor(locale: string) {
  const integer = new Intl.NumberFormat(locale);
  // Dates are calendar days (stored as UTC midnight): shown as that day wherever the browser is.
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const monthFormat = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  const utcDateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  // An hour of the shop's day, the way the language writes a clock time ("09:00", "۰۹:۰۰").
  const hourFormat = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "UTC",
  });
  const hourOfDay = (hour: number, minute = 0) =>
    hourFormat.format(Date.UTC(2000, 0, 1, hour, minute));
  // "a, b, and c", "a، b، و c", "a、b和c": the language's own separators and last "and".
  const listFormat = new Intl.ListFormat(locale, { type: "conjunction", style: "long" });
  return {
    locale,
    number: (value: number) => integer.format(value),
    /** Names, tags or numbers shown as one list in a sentence or a field. */
    list: (items: readonly string[]) => listFormat.format(items),
    /** An hour from 0 to 23 (and a minute) as a clock time. */
    hourOfDay,
    /** The hours of a day to choose from (quiet hours), valued 0 to 23. */
    hourOptions: Array.from({ length: 24 }, (_, hour) => ({
      label: hourOfDay(hour),
      value: String(hour),
    })),
    money: (amount: number, currency: string) =>
      new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount),
    /** A share from 0 to 1. */
    percent: (share: number, fractionDigits = 0) =>
      new Intl.NumberFormat(locale, {
        style: "percent",
        minimumFractionDigits: fractionDigits,
        maximumFractionDigits: fractionDigits,
      }).format(share),
    date: (value: string | number | Date) => dateFormat.format(new Date(value)),
    dateTime: (value: string | number | Date) => dateTimeFormat.format(new Date(value)),
    /** A moment as the win-back pages show it, in UTC (their columns say so); "—" for none. */
    utcDateTime: (value: string | null) =>
      value === null ? "—" : utcDateTimeFormat.format(new Date(value)),
    /** A calendar month stored as `2026-07`: "Jul 2026". */
    month: (yearMonth: string) => monthFormat.format(new Date(`${yearMonth}-01T00:00:00Z`)),
  };
}

export type Formats = ReturnType<typeof formatsFor>;

const cache = new Map<string, Formats>();

/** The formats of the page's language. */
export function useFormats(): Formats {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  let formats = cache.get(locale);
  if (!formats) {
    formats = formatsFor(locale);
    cache.set(locale, formats);
  }
  return formats;
}
