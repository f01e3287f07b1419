import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appSourceFiles } from "../helpers/app-source-files";
import { REPO_ROOT } from "../helpers/shared-data";

/**
 * Services return data or typed errors and routes turn them into HTTP answers (issue 22), so
 * that a service is callable from a worker, the Express front or a test without HTTP, and each
 * status and header is decided in one place. This scans the source for what builds an answer.
 */

/** Remix's answer builders; a type-only import of them builds nothing. */
const REMIX_ANSWER_BUILDERS = new Set(["json", "redirect", "redirectDocument", "replace", "data"]);

/** The ways a source file builds an HTTP answer, as the text that does it. */
function responseConstructions(source: string): string[] {
  const found = [
    ...source.matchAll(/\bnew\s+Response\s*\(/g),
    ...source.matchAll(/\bResponse\s*\.\s*(?:json|redirect|error)\s*\(/g),
  ].map((match) => match[0]);
  const remixImports = source.matchAll(
    /import\s+(type\s+)?\{([^}]*)\}\s*from\s*["'](?:@remix-run\/[^"']+|react-router)["']/g,
  );
  for (const [, typeOnly, names = ""] of remixImports) {
    if (typeOnly) continue;
    for (const specifier of names.split(",").map((name) => name.trim())) {
      const [imported = ""] = specifier.split(/\s+as\s+/);
      if (REMIX_ANSWER_BUILDERS.has(imported)) found.push(`import { ${specifier} }`);
    }
  }
  return found;
}

/** Remix's document renderer is the framework's entry, not ours to reshape. */
const FRAMEWORK_ENTRY = "app/entry.server.tsx";

const constructionsIn = (file: string) =>
  responseConstructions(readFileSync(path.join(REPO_ROOT, file), "utf8"));

describe("responseConstructions", () => {
  it("finds every way a file can build an answer", () => {
    // GIVEN sources that build answers directly, through Remix, or through a renamed import
    const sources = [
      `return new Response(null, { status: 204 });`,
      `return Response.json({ ok: true });`,
      `import { json } from "@remix-run/node";`,
      `import { redirect as go } from "@remix-run/node";`,
      `import { data, useLoaderData } from "react-router";`,
    ];
    // WHEN scanned THEN each is found
    for (const source of sources) expect(responseConstructions(source), source).toHaveLength(1);
  });

  it("leaves alone what only reads answers or names the type", () => {
    // GIVEN sources that consume a response, cache answers or import Remix types
    const sources = [
      `const body = await response.json();`,
      `const cache = new ResponseCache<string>(10, 10);`,
      `import type { json } from "@remix-run/node";`,
      `import { useLoaderData, type LoaderFunctionArgs } from "@remix-run/react";`,
      `function answer(): Response { return build(); }`,
    ];
    // WHEN scanned THEN nothing is found
    for (const source of sources) expect(responseConstructions(source), source).toEqual([]);
  });
});

describe("HTTP answers", () => {
  const files = appSourceFiles();

  it("are built only under app/routes (and by Remix's document renderer)", () => {
    // GIVEN every application file outside the routes
    const outsideRoutes = files.filter(
      (file) => !file.startsWith("app/routes/") && file !== FRAMEWORK_ENTRY,
    );
    expect(outsideRoutes).toContain("app/services/storefront/events-endpoint.server.ts");
    expect(outsideRoutes).toContain("app/services/webhooks/receive-webhook.server.ts");
    // WHEN each is scanned THEN none builds an answer
    const offenders = outsideRoutes
      .map((file) => ({ file, constructions: constructionsIn(file) }))
      .filter(({ constructions }) => constructions.length > 0);
    expect(offenders).toEqual([]);
  });

  it("are found where routes build them, so the scan sees real code", () => {
    expect(constructionsIn("app/routes/proxy.$.tsx").length).toBeGreaterThan(0);
    expect(constructionsIn("app/routes/http/answers.server.ts").length).toBeGreaterThan(0);
  });

  it("for admin pages refuse a malformed shop first: routes authenticate through authenticateAdmin", () => {
    // GIVEN the routes, apart from the helper that wraps the library's admin authentication
    const routes = files.filter(
      (file) =>
        file.startsWith("app/routes/") && file !== "app/routes/http/authenticate-admin.server.ts",
    );
    // WHEN searched for direct calls THEN none calls the library's admin authentication itself
    const direct = routes.filter((file) =>
      /authenticate\.admin\s*\(/.test(readFileSync(path.join(REPO_ROOT, file), "utf8")),
    );
    expect(direct).toEqual([]);
  });
});
