import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, isAdminLocale, SUPPORTED_LOCALES, type AdminLocale } from "./config";
import type { Messages } from "./instance";
import en from "./locales/en.json";
import fa from "./locales/fa.json";
import ms from "./locales/ms.json";
import te from "./locales/te.json";
import tr from "./locales/tr.json";
import zhCN from "./locales/zh-CN.json";

/** Every language's texts, for what the server writes itself (CSV exports) and for tests. */
export const ADMIN_MESSAGES: Record<AdminLocale, Messages> = {
  en,
  ms,
  tr,
  te,
  "zh-CN": zhCN,
  fa,
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
