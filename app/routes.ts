import { flatRoutes } from "@remix-run/fs-routes";
import type { RouteConfig } from "@remix-run/route-config";

// Routes are the files in app/routes, named by Remix's flat-routes convention; tests beside
// them are not routes.
export default flatRoutes({
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
}) satisfies RouteConfig;
