import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { useNavigationLoading } from "~/components/admin/use-navigation-loading";
import { useTranslation } from "react-i18next";
import rightToLeftStyles from "~/i18n/rtl.css?url";
import emptyStateStyles from "~/components/admin/empty-state.css?url";
import { adminCatalogue } from "~/i18n/catalogue";
import { useAdminLanguage } from "~/i18n/root-data";
import { getEnv } from "~/lib/env.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: rightToLeftStyles },
  { rel: "stylesheet", href: emptyStateStyles },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateAdmin(request);
  return { apiKey: getEnv().SHOPIFY_API_KEY };
};

export default function EmbeddedApp() {
  const { apiKey } = useLoaderData<typeof loader>();
  const { polarisTranslations } = adminCatalogue(useAdminLanguage().locale);
  const { t } = useTranslation();
  useNavigationLoading();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} i18n={polarisTranslations}>
      <NavMenu>
        <Link to="/app" rel="home">
          {t("nav.dashboard")}
        </Link>
        <Link to="/app/customers">{t("nav.customers")}</Link>
        <Link to="/app/segments">{t("nav.segments")}</Link>
        <Link to="/app/winback">{t("nav.winback")}</Link>
        <Link to="/app/flows">{t("nav.flows")}</Link>
        <Link to="/app/recommendations">{t("nav.recommendations")}</Link>
        <Link to="/app/recommendation-settings">{t("nav.recommendationRules")}</Link>
        <Link to="/app/email-settings">{t("nav.email")}</Link>
        <Link to="/app/email-template">{t("nav.emailTemplate")}</Link>
        <Link to="/app/sync">{t("nav.sync")}</Link>
        <Link to="/app/plans">{t("nav.plans")}</Link>
      </NavMenu>
      {/* The page's one main landmark: Polaris' Page renders none. */}
      <main>
        <Outlet />
      </main>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
