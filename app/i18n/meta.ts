import type { MetaFunction } from "@remix-run/node";
import { adminCatalogue } from "./catalogue";
import type { AdminLanguage } from "./root-data";

/** A page's document title in the merchant's language, e.g. "Segments · Rekindle". */
export const pageTitle =
  (key: string): MetaFunction =>
  ({ matches }) => {
    const language = matches.find((match) => match.id === "root")?.data as
      AdminLanguage | undefined;
    if (!language) return [{ title: "Rekindle" }];
    const { t } = adminCatalogue(language.locale).i18n;
    return [{ title: t("app.documentTitle", { page: t(key) }) }];
  };
