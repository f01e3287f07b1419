import { readdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./shared-data";

/** Application source under app/ as repository paths: generated code and tests excluded. */
export function appSourceFiles(): string[] {
  const app = path.join(REPO_ROOT, "app");
  return readdirSync(app, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .filter((file) => !file.startsWith(`generated${path.sep}`))
    .map((file) => path.join("app", file).split(path.sep).join("/"));
}
