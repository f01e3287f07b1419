import { unauthenticated } from "~/shopify.server";
import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";

/** The transport for background work: the library's Admin client on the offline session. */
export async function offlineAdminTransport(shopDomain: string): Promise<AdminGraphqlTransport> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return adminContextTransport(admin);
}
