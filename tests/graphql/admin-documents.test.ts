import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_DOCUMENTS } from "~/graphql";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { sharedPath } from "../helpers/shared-data";

const schemaFile = sharedPath("shopify", "admin-schema", `admin_${ADMIN_API_VERSION}.json.gz`);
const introspection = schemaFile
  ? JSON.parse(gunzipSync(readFileSync(schemaFile)).toString())
  : undefined;
const schema = introspection ? buildClientSchema(introspection.data ?? introspection) : undefined;

describe.skipIf(!schema)(`Admin GraphQL documents against the ${ADMIN_API_VERSION} schema`, () => {
  it.each(Object.entries(ADMIN_DOCUMENTS))("%s is valid", (_name, document) => {
    if (!schema) throw new Error("unreachable");
    const errors = validate(schema, parse(document)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
