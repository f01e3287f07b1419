import type { AdminGraphqlTransport, GraphqlBody } from "./admin-graphql.server";

/** The part of the library's Admin API context this transport needs. */
export interface AdminGraphqlContext {
  graphql(document: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/**
 * Adapts the library's Admin client (`admin.graphql`) to a transport. The library throws on
 * GraphQL errors; they come back as a body here so the caller can see THROTTLED and retry.
 */
export function adminContextTransport(admin: AdminGraphqlContext): AdminGraphqlTransport {
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
