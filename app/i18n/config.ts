/** The admin's languages: English plus the storefront extension's (extensions/rekindle-storefront/locales). */
export const SUPPORTED_LOCALES = ["en", "ms", "tr", "te", "zh-CN", "fa"] as const;
export type AdminLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: AdminLocale = "en";

/** Languages written right to left: `<html dir>` and Polaris' layout follow. */
const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(["fa"]);

export const textDirection = (locale: string): "rtl" | "ltr" =>
  RIGHT_TO_LEFT.has(locale) ? "rtl" : "ltr";

export const isAdminLocale = (value: string): value is AdminLocale =>
  (SUPPORTED_LOCALES as readonly string[]).includes(value);
