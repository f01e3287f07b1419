import { unauthenticated } from "~/shopify.server";
import type { AdminGraphqlTransport, GraphqlBody } from "./admin-graphql.server";

/**
 * The transport for background work: the library's Admin client on the shop's offline
 * session. GraphQL errors come back as a body (not thrown) so the caller sees THROTTLED.
 */
export async function offlineAdminTransport(shopDomain: string): Promise<AdminGraphqlTransport> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return async (document, variables) => {
    try {
      const response = await admin.graphql(document, { variables });
      return (await response.json()) as GraphqlBody;
    } catch (error) {
      const body = (error as { body?: { errors?: { graphQLErrors?: GraphqlBody["errors"] } } })
        .body;
      const graphQLErrors = body?.errors?.graphQLErrors;
      if (graphQLErrors) return { errors: graphQLErrors };
      throw error;
    }
  };
}
