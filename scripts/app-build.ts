import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** What the build reads; a change to any of them makes build/ out of date. */
const BUILD_INPUTS = ["app", "public", "vite.config.ts", "tsconfig.json", "package-lock.json"];
const BUILD_OUTPUT = "build/server/index.js";
const PRISMA_SCHEMA = "prisma/schema.prisma";
const PRISMA_CLIENT = "app/generated/prisma/client.ts";

export interface BuildStep {
  /** What ran (`npm run generate`, the build), in order; empty when all was up to date. */
  ran: string[];
  seconds: number;
}

/**
 * Makes sure the app can start from the current sources: generates the Prisma client when it
 * is missing or older than the schema and, for `production`, builds the app as `npm run build`
 * does when build/ is missing or older than any source, so build/ holds what a merchant's host
 * would serve. Says what it does on `log`, since a build takes half a minute.
 */
export async function ensureAppBuilt(
  root: string,
  options: {
    production: boolean;
    log: (line: string) => void;
    /** The environment the npm scripts run in; NODE_ENV must be production for the build. */
    env: NodeJS.ProcessEnv;
  },
): Promise<BuildStep> {
  const { log, env } = options;
  const started = Date.now();
  const ran: string[] = [];
  const at = (file: string) => path.join(root, file);
  const newestSource = Math.max(...BUILD_INPUTS.map((input) => newestChange(at(input))));
  const clientCurrent = newestChange(at(PRISMA_SCHEMA)) <= lastWritten(at(PRISMA_CLIENT));
  if (options.production && newestSource > lastWritten(at(BUILD_OUTPUT))) {
    if (clientCurrent) {
      // `npm run build` is `prisma generate` then the Vite build; the client is current (npm ci
      // generates it), and generating it again would delay the build by seconds and rewrite
      // the client files while this process loads them.
      log(
        "Building the app for production (remix vite:build; again only when the sources change)…",
      );
      await run(
        root,
        process.execPath,
        [path.join(root, "node_modules/.bin/remix"), "vite:build"],
        env,
      );
      ran.push("remix vite:build");
    } else {
      log("Building the app for production (npm run build; again only when the sources change)…");
      await run(root, "npm", ["run", "--silent", "build"], env);
      ran.push("npm run build");
    }
  } else if (!clientCurrent) {
    log("Generating the database client (npm run generate)…");
    await run(root, "npm", ["run", "--silent", "generate"], env);
    ran.push("npm run generate");
  }
  return { ran, seconds: (Date.now() - started) / 1000 };
}

function lastWritten(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** The newest modification time of a file, or of any file under a folder. */
function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** A command (`npm run <script>`, the build), its output kept and shown only when it fails. */
async function run(
  root: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const child = spawn(command, args, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) {
    const what = [command, ...args].map((part) => path.basename(part)).join(" ");
    throw new Error(`${what} failed (exit ${code}):\n${output}`);
  }
}
