import type { i18n } from "i18next";
import type { AdminLocale } from "./config";
import { i18nFor, type Messages } from "./instance";
import type { PolarisTranslations } from "./root-data";

/** A language's texts as the admin's pages use them: ours through i18next, and Polaris'. */
export interface AdminCatalogue {
  i18n: i18n;
  polarisTranslations: PolarisTranslations;
}

const json = <T>(module: Promise<{ default: T }>) => module.then((loaded) => loaded.default);
const polarisEnglish = () => json(import("@shopify/polaris/locales/en.json"));

/**
 * Each language's texts as a chunk of its own, which the build names by its content and the
 * browser caches for good: a page downloads its language's 70–150 KB of texts once, rather than
 * inside every HTML response (as the root loader's data it did).
 *
 * Polaris' own strings (pagination, data table, banners' dismiss, …): its translations where it
 * ships one, else ours over English, which fills whatever a language leaves out.
 */
const CATALOGUES: Record<AdminLocale, () => Promise<[Messages, PolarisTranslations]>> = {
  en: () => Promise.all([json(import("./locales/en.json")), Promise.all([polarisEnglish()])]),
  ms: () =>
    Promise.all([
      json(import("./locales/ms.json")),
      Promise.all([json(import("./polaris/ms.json")), polarisEnglish()]),
    ]),
  tr: () =>
    Promise.all([
      json(import("./locales/tr.json")),
      Promise.all([json(import("@shopify/polaris/locales/tr.json")), polarisEnglish()]),
    ]),
  te: () =>
    Promise.all([
      json(import("./locales/te.json")),
      Promise.all([json(import("./polaris/te.json")), polarisEnglish()]),
    ]),
  "zh-CN": () =>
    Promise.all([
      json(import("./locales/zh-CN.json")),
      Promise.all([json(import("@shopify/polaris/locales/zh-CN.json")), polarisEnglish()]),
    ]),
  fa: () =>
    Promise.all([
      json(import("./locales/fa.json")),
      Promise.all([json(import("./polaris/fa.json")), polarisEnglish()]),
    ]),
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
