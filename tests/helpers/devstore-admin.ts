import type { AdminGraphqlTransport } from "~/services/shopify/admin-graphql.server";
import { AdminGraphqlEndpoint } from "../devstore/graphql/admin-endpoint";
import { loadAdminSchema } from "../devstore/graphql/admin-schema";
import { CostBucket } from "../devstore/graphql/throttle";
import type { DevStore } from "../devstore/store";

/**
 * The simulated store's Admin GraphQL endpoint as a transport, called in-process. Its cost
 * bucket runs on a clock that only `sleep` moves, so a test can force THROTTLED answers and
 * the app's waiting takes no time. `calls()` counts requests; `clock()` is the time waited.
 */
export function devstoreAdmin(store: DevStore, scopes: readonly string[]) {
  let clock = 0;
  let calls = 0;
  const bucket = new CostBucket(2000, 100, () => clock);
  const endpoint = new AdminGraphqlEndpoint(loadAdminSchema(), store, {
    bulkResultBaseUrl: () => "http://127.0.0.1:9",
    bucket,
  });
  const transport: AdminGraphqlTransport = async (document, variables) => {
    calls += 1;
    return (await endpoint.handle({ query: document, variables }, [...scopes])).body as never;
  };
  return {
    bucket,
    endpoint,
    transport,
    sleep: async (ms: number) => {
      clock += ms;
    },
    calls: () => calls,
    clock: () => clock,
  };
}
