import { spawn } from "node:child_process";
import { npmRunEnv } from "./child-process-env";
import { REPO_ROOT } from "./shared-data";

export interface PrismaCliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the project's Prisma CLI (`prisma ...` from node_modules/.bin, as `npm run` would, without
 * npx resolving it first) and resolves when it exits, so a test can do other work meanwhile.
 */
export function prismaCli(args: string[], env: Record<string, string>): Promise<PrismaCliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("prisma", args, {
      cwd: REPO_ROOT,
      env: npmRunEnv({ CHECKPOINT_DISABLE: "1", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
