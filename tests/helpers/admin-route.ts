/**
 * The setup every admin-route test shares: a migrated test database, the network shut, and
 * before each test an empty app with the test shop installed (its row and a stored offline
 * session) so embedded-admin requests authenticate for real. Plus one way to call a route's
 * loader or action with such a request.
 */
import type { AppLoadContext } from "@remix-run/node";
import { beforeEach } from "vitest";
import { shutNetworkDuringTests, storeOfflineSession } from "./offline-session";
import { TEST_SHOP, embeddedAdminRequest } from "./shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "./test-database";

export interface AdminRouteShop {
  sql: Awaited<ReturnType<typeof migratedTestDatabase>>["sql"];
  prisma: Awaited<ReturnType<typeof migratedTestDatabase>>["prisma"];
  /** The test shop's id, set again before each test. */
  id: number;
}

export async function adminRouteShop(): Promise<AdminRouteShop> {
  const { sql, prisma } = await migratedTestDatabase();
  shutNetworkDuringTests();
  const shop: AdminRouteShop = { sql, prisma, id: 0 };
  beforeEach(async () => {
    await truncateAppTables();
    shop.id = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
    await storeOfflineSession();
  });
  return shop;
}

type RouteFunction<T> = (args: {
  request: Request;
  params: Record<string, string>;
  context: AppLoadContext;
}) => T | Promise<T>;

/** A loader (no form) or action (a form) called as the embedded admin would call `path`. */
export async function callAdminRoute<T>(
  route: RouteFunction<T>,
  path: string,
  { form, params = {} }: { form?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<T> {
  return route({ request: await embeddedAdminRequest(path, form), params, context: {} });
}
