import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/shared-data";

// No cycles between the app's folders: each capability under app/services, and lib, jobs,
// routes, components, server, storefront, models, graphql and the root modules (db.server,
// shopify.server, …) are nodes; an import from one to another is an edge, type-only imports
// included. docs/architecture.md draws the arrows; eslint/boundaries.js enforces them file by
// file, and this test checks the whole graph has no loop.
const APP = path.join(REPO_ROOT, "app");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === "generated" ? [] : sourceFiles(file);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : [];
  });
}

/** The node a file belongs to: services/<capability>, another top folder, or a root module. */
function nodeOf(file: string): string | null {
  const parts = path.relative(APP, file).split(path.sep);
  if (parts[0]?.startsWith("..")) return null;
  if (parts.length === 1) return (parts[0] ?? "").replace(/\.tsx?$/, "");
  if (parts[0] === "services" && parts.length > 2) return `services/${parts[1]}`;
  return parts[0] ?? null;
}

function importGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(APP)) {
    const from = nodeOf(file);
    if (!from) continue;
    const text = readFileSync(file, "utf8");
    for (const [, specifier] of text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)) {
      if (!specifier) continue;
      const target = specifier.startsWith("~/")
        ? path.join(APP, specifier.slice(2))
        : specifier.startsWith(".")
          ? path.resolve(path.dirname(file), specifier)
          : null;
      const to = target ? nodeOf(target) : null;
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      edges.get(from)?.set(to, `${path.relative(REPO_ROOT, file)} imports ${specifier}`);
    }
  }
  return edges;
}

/** A loop in the graph as the imports that make it, or null. */
function findCycle(edges: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "visiting");
    trail.push(node);
    for (const [next] of edges.get(node) ?? []) {
      if (state.get(next) === "visiting") {
        const loop = [...trail.slice(trail.indexOf(next)), next];
        return loop.slice(1).map((to, k) => edges.get(loop[k] ?? "")?.get(to) ?? to);
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    trail.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of edges.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe("the app's folders", () => {
  it("import each other without a cycle", () => {
    const edges = importGraph();
    expect(edges.size).toBeGreaterThan(10);
    expect(findCycle(edges)).toBeNull();
  });

  it("would report a cycle made by one import back", () => {
    const edges = importGraph();
    // db.server imports lib; lib importing db.server would close the loop.
    expect(edges.get("db.server")?.has("lib")).toBe(true);
    const fromLib = edges.get("lib") ?? new Map<string, string>();
    edges.set("lib", fromLib.set("db.server", "app/lib/x.ts imports ~/db.server"));
    expect(findCycle(edges)).toEqual(expect.arrayContaining(["app/lib/x.ts imports ~/db.server"]));
  });
});
