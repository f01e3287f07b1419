/// <reference types="vitest/config" />
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const TEST_FILES = [
  "app/**/*.test.{ts,tsx}",
  "tests/**/*.test.{ts,tsx}",
  "scripts/**/*.test.ts",
  "extensions/*/src/**/*.test.ts",
];
/** Tests that need a real PostgreSQL server (TEST_POSTGRES_URL), wherever they sit. */
const POSTGRES_TESTS = "{app,tests,scripts}/**/*.postgres.test.ts";
/** Folders whose tests start processes, a browser or a benchmark: each is a tier of its own. */
const SLOW_TIER_FOLDERS = ["tests/process/**", "tests/e2e/**", "tests/bench/**"];

function tier(
  name: string,
  include: string[],
  exclude: string[] = [],
  { migratedDatabase = false } = {},
) {
  return {
    extends: true as const,
    test: {
      name,
      include,
      exclude: ["node_modules/**", ...exclude],
      // One migrated PGlite dump per run, which each file's in-memory database starts from.
      globalSetup: migratedDatabase ? ["tests/setup/migrated-database.global.ts"] : [],
    },
  };
}

export default defineConfig({
  server: {
    port: Number(process.env.PORT ?? 3000),
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    !process.env.VITEST &&
      remix({
        // Every Remix v3 flag is on, so the move to React Router 7 stays mechanical
        // (docs/architecture.md).
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          v3_singleFetch: true,
          v3_routeConfig: true,
        },
      }),
    tsconfigPaths(),
  ],
  build: {
    assetsInlineLimit: 0,
    // Gzipping every chunk only to print its size costs each build (the demo's first start
    // included) seconds; bench/ and the theme build measure the sizes that matter.
    reportCompressedSize: false,
  },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
  test: {
    setupFiles: ["tests/setup/test-env.ts", "tests/setup/migrated-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Worker threads start faster than forked processes: about a quarter less CPU for the
    // fast tier, most of it in loading each file's modules. Vitest runs cores - 1 at once.
    pool: "threads",
    // Tiers (README, "Tests"): `npm test` runs `fast`; `npm run test:all` runs every project.
    projects: [
      tier("fast", TEST_FILES, [POSTGRES_TESTS, ...SLOW_TIER_FOLDERS], { migratedDatabase: true }),
      tier("postgres", [POSTGRES_TESTS], SLOW_TIER_FOLDERS),
      tier("process", ["tests/process/**/*.test.ts"]),
      tier("e2e", ["tests/e2e/**/*.test.ts"]),
      tier("bench", ["tests/bench/**/*.test.ts"]),
    ],
  },
});
