import path from "node:path";
import { REPO_ROOT } from "./shared-data";

/**
 * The environment for a child process started the way `npm run` would: the project's
 * `node_modules/.bin` first on PATH (its Node 22, tsx, prisma), and none of the test runner's
 * own settings.
 */
export function npmRunEnv(overrides: Partial<NodeJS.ProcessEnv> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.join(REPO_ROOT, "node_modules/.bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  for (const name of Object.keys(env)) {
    if (name.startsWith("VITEST") || name === "PGLITE_DATA_DIR" || name === "DATABASE_URL") {
      delete env[name];
    }
  }
  return { ...env, ...overrides };
}
