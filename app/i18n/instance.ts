import i18next, { type FormatFunction, type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import type { AdminLocale } from "./config";

/** A language's texts by nested key (app/i18n/locales/<language>.json). */
export interface Messages {
  [key: string]: string | Messages;
}

const instances = new Map<string, i18n>();

/**
 * Every number a text interpolates, in the language's digits (۱۴ روز on a Persian page):
 * `{{count, number}}` also groups thousands; a bare `{{count}}` does not (it may be a year or a
 * port). Other values are left as they are.
 */
const formatValue: FormatFunction = (value, format, locale) => {
  // Not only strings: i18next tells a missing value (undefined) by what this returns.
  if (typeof value !== "number") return value as string;
  return new Intl.NumberFormat(locale, {
    useGrouping: format === "number",
    maximumFractionDigits: 20,
  }).format(value);
};

/**
 * One i18next instance per language, initialised synchronously from the messages the root
 * loader sent (so the server render and the hydration translate alike, with nothing fetched).
 */
export function i18nFor(locale: AdminLocale, messages: Messages): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = i18next.createInstance();
    void instance.use(initReactI18next).init({
      lng: locale,
      fallbackLng: false,
      resources: { [locale]: { translation: messages } },
      interpolation: {
        escapeValue: false, // React escapes what it renders
        alwaysFormat: true,
        format: formatValue,
      },
      initImmediate: false,
      returnNull: false,
    });
    instances.set(locale, instance);
  }
  return instance;
}
