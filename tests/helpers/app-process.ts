import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { npmRunEnv } from "./child-process-env";
import { REPO_ROOT } from "./shared-data";

/**
 * A process of the app's code (`args` after tsx: modules to import first, then the script) on
 * the database `databaseUrl`, as the app `app`, from the repository's root; `env` adds to its
 * environment. Its stdout is piped; its stderr too unless `stderr` says to inherit it.
 */
export function spawnAppProcess(options: {
  databaseUrl: string | undefined;
  app: { apiKey: string; secret: string; scopes: string };
  args: readonly string[];
  env?: Record<string, string>;
  stderr?: "pipe" | "inherit";
}): ChildProcess {
  return spawn(
    path.join(REPO_ROOT, "node_modules/.bin/node"),
    ["--import", "tsx", ...options.args],
    {
      cwd: REPO_ROOT,
      env: npmRunEnv({
        DATABASE_URL: options.databaseUrl,
        SHOPIFY_API_KEY: options.app.apiKey,
        SHOPIFY_API_SECRET: options.app.secret,
        SHOPIFY_APP_URL: "https://rekindle.test",
        SCOPES: options.app.scopes,
        LOG_LEVEL: "warn",
        ...options.env,
      }),
      stdio: ["ignore", "pipe", options.stderr ?? "pipe"],
    },
  );
}
