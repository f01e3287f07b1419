import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema } from "graphql";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { REPO_ROOT, sharedPath } from "../../helpers/shared-data";

let cached: GraphQLSchema | undefined;

/**
 * The real Admin API schema of the pinned version: the team's copy in ../shared when present,
 * else the one kept in the repository. Everything the simulated store answers is executed
 * against it, so a response the real API could not give fails instead.
 */
export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const file =
    sharedPath("shopify", "admin-schema", `admin_${ADMIN_API_VERSION}.json.gz`) ??
    path.join(REPO_ROOT, "tests/fixtures/admin-schema", `admin_${ADMIN_API_VERSION}.json.gz`);
  const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString());
  cached = buildClientSchema(introspection.data ?? introspection);
  return cached;
}
