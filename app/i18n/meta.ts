import type { MetaFunction } from "@remix-run/node";
import { i18nFor } from "./instance";
import type { AdminLanguage } from "./root-data";

/** A page's document title in the merchant's language, e.g. "Segments · Rekindle". */
export const pageTitle =
  (key: string): MetaFunction =>
  ({ matches }) => {
    const language = matches.find((match) => match.id === "root")?.data as
      AdminLanguage | undefined;
    if (!language) return [{ title: "Rekindle" }];
    const { t } = i18nFor(language.locale, language.messages);
    return [{ title: t("app.documentTitle", { page: t(key) }) }];
  };
