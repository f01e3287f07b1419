import type { i18n } from "i18next";
import type { AdminLocale } from "./config";
import { i18nFor, type Messages } from "./instance";
import type { PolarisTranslations } from "./root-data";

/** A language's texts as the admin's pages use them: ours through i18next, and Polaris'. */
export interface AdminCatalogue {
  i18n: i18n;
  polarisTranslations: PolarisTranslations;
}

/** One of Polaris' dictionaries (its AppProvider takes a list, the preferred first). */
type PolarisDictionary = Exclude<PolarisTranslations, readonly unknown[]>;

const json = <T>(module: Promise<{ default: T }>) => module.then((loaded) => loaded.default);

/**
 * A language's texts, and Polaris' own strings (pagination, data table, banners' dismiss, …):
 * its translation where it ships one, else ours, over English, which fills whatever a language
 * leaves out.
 */
const languageTexts = (
  messages: Promise<{ default: Messages }>,
  polaris?: Promise<{ default: PolarisDictionary }>,
): Promise<[Messages, PolarisTranslations]> => {
  const english = json(import("@shopify/polaris/locales/en.json"));
  return Promise.all([json(messages), Promise.all(polaris ? [json(polaris), english] : [english])]);
};

/**
 * Each language's texts as a chunk of its own, which the build names by its content and the
 * browser caches for good: a page downloads its language's 70–150 KB of texts once, rather than
 * inside every HTML response (as the root loader's data it did).
 */
const CATALOGUES: Record<AdminLocale, () => Promise<[Messages, PolarisTranslations]>> = {
  en: () => languageTexts(import("./locales/en.json")),
  ms: () => languageTexts(import("./locales/ms.json"), import("./polaris/ms.json")),
  tr: () => languageTexts(import("./locales/tr.json"), import("@shopify/polaris/locales/tr.json")),
  te: () => languageTexts(import("./locales/te.json"), import("./polaris/te.json")),
  "zh-CN": () =>
    languageTexts(import("./locales/zh-CN.json"), import("@shopify/polaris/locales/zh-CN.json")),
  fa: () => languageTexts(import("./locales/fa.json"), import("./polaris/fa.json")),
};

const loaded = new Map<AdminLocale, AdminCatalogue>();

/**
 * Loads a language's texts, once per process or page: the root loader on the server, and the
 * client entry before it hydrates, so that both render with them synchronously.
 */
export async function loadAdminCatalogue(locale: AdminLocale): Promise<AdminCatalogue> {
  const known = loaded.get(locale);
  if (known) return known;
  const [messages, polarisTranslations] = await CATALOGUES[locale]();
  const catalogue = { i18n: i18nFor(locale, messages), polarisTranslations };
  loaded.set(locale, catalogue);
  return catalogue;
}

/** A language's texts that loadAdminCatalogue has loaded. */
export function adminCatalogue(locale: AdminLocale): AdminCatalogue {
  const catalogue = loaded.get(locale);
  if (!catalogue) throw new Error(`the admin's ${locale} texts were not loaded before rendering`);
  return catalogue;
}
