import { useRouteLoaderData } from "@remix-run/react";
import type { AppProviderProps } from "@shopify/polaris";
import type { AdminLocale } from "./config";
import type { Messages } from "./instance";

/** What the root loader tells every page about its language (app/root.tsx). */
export interface AdminLanguage {
  locale: AdminLocale;
  dir: "rtl" | "ltr";
  messages: Messages;
  polarisTranslations: PolarisTranslations;
}

export const useAdminLanguage = () => useRouteLoaderData("root") as AdminLanguage;

/** Polaris AppProvider's `i18n`: dictionaries, the preferred first. */
export type PolarisTranslations = NonNullable<AppProviderProps["i18n"]>;
