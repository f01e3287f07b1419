import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import * as serverEntry from "~/entry.server";
import * as root from "~/root";
import * as embeddedApp from "~/routes/app";

/** A route below the embedded admin's layout (`app/routes/app.tsx`), as flat routes name it. */
export interface AdminPage {
  id: string;
  path: string;
  index?: boolean;
  module: ServerBuild["routes"][string]["module"];
}

/**
 * The whole document Remix's server renders for an admin page (root, the embedded layout, the
 * page), through Remix's own request handler and the app's server entry, without a Vite server or
 * a production build: a build made of the three route modules.
 */
export async function renderAdminDocument(request: Request, page: AdminPage): Promise<Response> {
  const routes = [
    { id: "root", path: "", module: root as ServerBuild["routes"][string]["module"] },
    { id: "routes/app", parentId: "root", path: "app", module: embeddedApp },
    { ...page, parentId: "routes/app" },
  ];
  const build: ServerBuild = {
    mode: "production",
    entry: { module: serverEntry },
    routes: Object.fromEntries(routes.map((route) => [route.id, route])),
    assets: {
      entry: { imports: [], module: "/entry.client.js" },
      url: "/manifest.js",
      version: "test",
      routes: Object.fromEntries(
        routes.map(({ module, ...route }) => [
          route.id,
          {
            ...route,
            module: `/${route.id}.js`,
            hasAction: "action" in module,
            hasLoader: "loader" in module,
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: "ErrorBoundary" in module,
          },
        ]),
      ),
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_singleFetch: true,
      v3_lazyRouteDiscovery: true,
      v3_routeConfig: true,
      unstable_optimizeDeps: false,
    } as ServerBuild["future"],
    isSpaMode: false,
  };
  return createRequestHandler(build, "production")(request);
}
