import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData } from "@remix-run/react";
import { I18nextProvider } from "react-i18next";
import { textDirection } from "~/i18n/config";
import { adminCatalogue, loadAdminCatalogue } from "~/i18n/catalogue";
import { requestLocale } from "~/i18n/locale.server";
import type { AdminLanguage } from "~/i18n/root-data";

// From public/: the SVG where browsers take one, the .ico for the rest and for bookmarks.
export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
  { rel: "apple-touch-icon", href: "/app-icon.png" },
];

/**
 * The language Shopify admin opened the app in (its `locale` parameter). Its texts are loaded
 * for the server's render here; the browser loads them from their own cached file
 * (app/entry.client.tsx), so they are not in every page's HTML.
 */
export const loader = async ({ request }: LoaderFunctionArgs): Promise<AdminLanguage> => {
  const locale = await requestLocale(request);
  await loadAdminCatalogue(locale);
  return { locale, dir: textDirection(locale) };
};

// Only the document request carries Shopify's `locale`; later data requests from the page do
// not, so the language chosen for the document stays until the next full load.
export const shouldRevalidate = () => false;

/**
 * The element the page's first paint waits for (`<link rel="expect" blocking="render">`): the
 * end of the page's markup. A large page arrives and is parsed in pieces, and a paint of half
 * of it shows the first columns of a layout or the first rows of a table at widths the rest then
 * changes (a layout shift). The scripts and data after it are not waited for.
 */
const CONTENT_END_ID = "content-end";

export default function App() {
  const { locale, dir } = useLoaderData<typeof loader>();
  return (
    <html lang={locale} dir={dir}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        {/* React 18 knows no `blocking` attribute: passed through as written. */}
        <link rel="expect" href={`#${CONTENT_END_ID}`} {...{ blocking: "render" }} />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={adminCatalogue(locale).i18n}>
          <Outlet />
        </I18nextProvider>
        <div id={CONTENT_END_ID} hidden />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
