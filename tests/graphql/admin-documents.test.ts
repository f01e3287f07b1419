import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS } from "~/graphql";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { REPO_ROOT, sharedPath } from "../helpers/shared-data";

// The team's schema in ../shared when present, else the copy kept in the repository.
const schemaFile =
  sharedPath("shopify", "admin-schema", `admin_${ADMIN_API_VERSION}.json.gz`) ??
  path.join(REPO_ROOT, "tests/fixtures/admin-schema", `admin_${ADMIN_API_VERSION}.json.gz`);
const introspection = JSON.parse(gunzipSync(readFileSync(schemaFile)).toString());
const schema = buildClientSchema(introspection.data ?? introspection);

const errorsOf = (document: string) =>
  validate(schema, parse(document)).map((error) => error.message);

describe(`Admin GraphQL documents against the ${ADMIN_API_VERSION} schema`, () => {
  it.each(Object.entries(ADMIN_DOCUMENTS))("%s is valid", (_name, document) => {
    expect(errorsOf(document)).toEqual([]);
  });

  it("catches a document the schema does not allow", () => {
    expect(errorsOf("query { shop { name notARealField } }")).toEqual([
      expect.stringContaining("notARealField"),
    ]);
  });
});
