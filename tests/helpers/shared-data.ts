import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The team's shared reference data (`../shared` beside the repository), when present. */
export const SHARED_DIR = path.resolve(REPO_ROOT, "../shared");

export function sharedPath(...segments: string[]): string | undefined {
  const candidate = path.join(SHARED_DIR, ...segments);
  return existsSync(candidate) ? candidate : undefined;
}
