import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/shared-data";

// The arrows of docs/architecture.md are lint rules: a deliberately wrong import in a file
// placed where it does not belong fails the lint, and the same import where it is allowed
// passes.
const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === "no-restricted-imports")
    .map((message) => message.message);
}

describe("import boundaries", () => {
  it("keeps app/lib free of the database and the capabilities", async () => {
    const code = 'import { getDatabase } from "~/db.server";\nexport const db = getDatabase;\n';
    expect(await restrictedImports("app/lib/boundary-fixture.ts", code)).toHaveLength(1);
    expect(await restrictedImports("app/services/analytics/boundary-fixture.ts", code)).toEqual([]);
  });

  it("lets a capability use only the capabilities below it", async () => {
    const code =
      'import { refreshMemberships } from "~/services/segments/memberships.server";\n' +
      "export const refresh = refreshMemberships;\n";
    const [message] = await restrictedImports("app/services/analytics/boundary-fixture.ts", code);
    expect(message).toContain("services/analytics may use no other capability");
    expect(await restrictedImports("app/services/winback/boundary-fixture.ts", code)).toEqual([]);
  });

  it("keeps the web framework and the Shopify app object out of services", async () => {
    const code =
      'import { json } from "@remix-run/node";\nimport { authenticate } from "~/shopify.server";\n' +
      "export const both = [json, authenticate];\n";
    expect(
      await restrictedImports("app/services/storefront/boundary-fixture.ts", code),
    ).toHaveLength(2);
    expect(await restrictedImports("app/routes/boundary-fixture.tsx", code)).toEqual([]);
  });

  it("lets components import only types from server modules", async () => {
    const value =
      'import { searchProducts } from "~/services/recommendations/product-lookup.server";\n' +
      "export const search = searchProducts;\n";
    const typeOnly =
      'import type { ProductSearchAnswer } from "~/services/recommendations/product-lookup.server";\n' +
      "export type Answer = ProductSearchAnswer;\n";
    expect(await restrictedImports("app/components/boundary-fixture.tsx", value)).toHaveLength(1);
    expect(await restrictedImports("app/components/boundary-fixture.tsx", typeOnly)).toEqual([]);
  });
});
