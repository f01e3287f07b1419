import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, isAdminLocale, SUPPORTED_LOCALES, type AdminLocale } from "./config";
import type { Messages } from "./instance";
import type { PolarisTranslations } from "./root-data";
import en from "./locales/en.json";
import fa from "./locales/fa.json";
import ms from "./locales/ms.json";
import te from "./locales/te.json";
import tr from "./locales/tr.json";
import zhCN from "./locales/zh-CN.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisTr from "@shopify/polaris/locales/tr.json";
import polarisZhCN from "@shopify/polaris/locales/zh-CN.json";
import polarisFa from "./polaris/fa.json";
import polarisMs from "./polaris/ms.json";
import polarisTe from "./polaris/te.json";

export const ADMIN_MESSAGES: Record<AdminLocale, Messages> = {
  en,
  ms,
  tr,
  te,
  "zh-CN": zhCN,
  fa,
};

/**
 * Polaris' own strings (pagination, data table, banners' dismiss, …): its translations where it
 * ships one, else ours over English, which fills whatever a language leaves out.
 */
const POLARIS_TRANSLATIONS: Record<AdminLocale, PolarisTranslations> = {
  en: [polarisEn],
  ms: [polarisMs, polarisEn],
  tr: [polarisTr, polarisEn],
  te: [polarisTe, polarisEn],
  "zh-CN": [polarisZhCN, polarisEn],
  fa: [polarisFa, polarisEn],
};

/**
 * The language Shopify admin asked for with its `locale` parameter (`fa`, `zh-CN`, `ms-MY`):
 * the supported language it names, else one of the same language (`zh-TW` → `zh-CN`), else
 * English.
 */
const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    searchParamKey: "locale",
    order: ["searchParams"],
  },
});

export async function requestLocale(request: Request): Promise<AdminLocale> {
  const locale = await detector.getLocale(request);
  return isAdminLocale(locale) ? locale : DEFAULT_LOCALE;
}

export const polarisTranslations = (locale: AdminLocale) => POLARIS_TRANSLATIONS[locale];
