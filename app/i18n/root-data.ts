import { useRouteLoaderData } from "@remix-run/react";
import type { AppProviderProps } from "@shopify/polaris";
import type { AdminLocale } from "./config";

/**
 * What the root loader tells every page about its language (app/root.tsx); the texts come from
 * the language's cached file (app/i18n/catalogue.ts).
 */
export interface AdminLanguage {
  locale: AdminLocale;
  dir: "rtl" | "ltr";
}

export const useAdminLanguage = () => useRouteLoaderData("root") as AdminLanguage;

/** Polaris AppProvider's `i18n`: dictionaries, the preferred first. */
export type PolarisTranslations = NonNullable<AppProviderProps["i18n"]>;
