import type { IncomingMessage, ServerResponse } from "node:http";
import { APP_BRIDGE_STAND_IN } from "./app-bridge-stand-in";
import type { AppCredentials, ExtraRoute } from "./server";
import { signSessionToken } from "./signing";

/** The staff user the simulated admin signs session tokens for. */
export const DEMO_STAFF_USER_ID = "1";

export function adminHost(shop: string) {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString(
    "base64url",
  );
}

/** The URL Shopify admin loads in its iframe to open an embedded app. */
export async function embeddedAppUrl(options: {
  appUrl: string;
  path?: string;
  shop: string;
  app: AppCredentials;
  /** The admin language the staff user reads, as Shopify passes it; English unless given. */
  locale?: string;
}) {
  const url = new URL(options.path ?? "/app", options.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", options.shop);
  url.searchParams.set("host", adminHost(options.shop));
  url.searchParams.set("locale", options.locale ?? "en");
  url.searchParams.set(
    "id_token",
    await signSessionToken(
      { shop: options.shop, apiKey: options.app.apiKey, userId: DEMO_STAFF_USER_ID },
      options.app.secret,
    ),
  );
  return url.toString();
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where the admin shows the app: `/admin/apps/rekindle/<page>` frames `/app/<page>`. */
const APP_ADMIN_PATH = "/admin/apps/rekindle";

/**
 * Shows the app's own navigation (the `<ui-nav-menu>` links the App Bridge stand-in reports
 * from inside the frame) under the app's name in the side nav, as Shopify admin does; the page
 * the frame shows is marked current.
 */
function appNavigationScript(appOrigin: string, framedPath: string) {
  return `
  window.addEventListener("message", function (event) {
    if (event.origin !== ${JSON.stringify(appOrigin)} || !event.data || event.data.type !== "devstore:navigation") return;
    var pages = document.querySelector("[data-app-pages]");
    pages.replaceChildren();
    event.data.items.forEach(function (item) {
      if (item.home || typeof item.path !== "string" || !item.path.startsWith("/app")) return;
      var link = document.createElement("a");
      link.href = ${JSON.stringify(APP_ADMIN_PATH)} + item.path.slice("/app".length);
      link.textContent = item.label;
      if (item.path === ${JSON.stringify(framedPath)}) link.setAttribute("aria-current", "page");
      pages.append(link);
    });
  });`;
}

/**
 * The admin side of embedding: `/admin` frames the app like Shopify admin, `/app-bridge.js`
 * serves the App Bridge stand-in, `/admin/session-token` issues session tokens to it.
 */
export function adminFrameRoutes(options: {
  shop: string;
  shopName: string;
  appUrl: string;
  app: AppCredentials;
}): ExtraRoute {
  return async (_request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (url.pathname === "/app-bridge.js") {
      response.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "no-store",
      });
      response.end(APP_BRIDGE_STAND_IN);
      return true;
    }
    if (url.pathname === "/admin/session-token") {
      const token = await signSessionToken(
        { shop: options.shop, apiKey: options.app.apiKey, userId: DEMO_STAFF_USER_ID },
        options.app.secret,
      );
      response.writeHead(200, {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": "no-store",
      });
      response.end(JSON.stringify({ token }));
      return true;
    }
    if (url.pathname === "/admin" || url.pathname.startsWith("/admin/apps/")) {
      const appPath = url.pathname.replace(/^\/admin(\/apps\/rekindle)?/, "") || "";
      const src = await embeddedAppUrl({
        appUrl: options.appUrl,
        // The admin hands the app the query it was opened with (a charge_id after billing).
        path: `/app${appPath}${url.search}`,
        shop: options.shop,
        app: options.app,
        // `/admin/apps/rekindle?locale=fa`: the admin as a staff user who reads Persian sees it.
        locale: url.searchParams.get("locale") ?? undefined,
      });
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.shopName)} · Admin (simulated)</title>
<style>
  body { margin: 0; font: 14px system-ui, sans-serif; display: grid; grid-template-columns: 220px 1fr; height: 100vh; }
  nav { background: #1a1a1a; color: #e3e3e3; padding: 16px; }
  nav a { color: #fff; display: block; margin: 8px 0; }
  nav [data-app-pages] a { margin-left: 12px; color: #cfcfcf; }
  nav a[aria-current="page"] { font-weight: 600; color: #fff; }
  iframe { border: 0; width: 100%; height: 100vh; }
</style></head>
<body>
  <nav aria-label="Simulated Shopify admin">
    <strong>${escapeHtml(options.shopName)}</strong>
    <p>Apps</p>
    <a href="${APP_ADMIN_PATH}">Rekindle</a>
    <div data-app-pages></div>
    <a href="/">Online store</a>
  </nav>
  <main><iframe id="app-iframe" title="Rekindle" src="${escapeHtml(src)}"></iframe></main>
  <script>${appNavigationScript(new URL(options.appUrl).origin, `/app${appPath}`)}</script>
</body></html>`);
      return true;
    }
    return false;
  };
}
