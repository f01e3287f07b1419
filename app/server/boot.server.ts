import { spawnSync } from "node:child_process";
import { getDatabase } from "~/db.server";
import { getEnv, type Env } from "~/lib/env.server";
import { ConfigError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { applyMigrations } from "~/lib/migrations.server";

/** Validates the environment; on a bad setting prints which variable and exits. */
export function loadEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Brings the schema up to date before serving. PostgreSQL goes through `prisma migrate
 * deploy`; the embedded PGlite database is migrated in-process from the same migration files
 * (the CLI cannot share a PGlite folder with a running process).
 */
export async function migrateDatabase(env: Env): Promise<void> {
  if (env.DATABASE_URL) {
    const result = spawnSync("prisma", ["migrate", "deploy"], {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    if (result.status !== 0) {
      throw new Error(`prisma migrate deploy failed:\n${result.stderr || result.stdout}`);
    }
    logger.info("database migrated (prisma migrate deploy)");
    return;
  }
  const applied = await applyMigrations(getDatabase().sql);
  logger.info({ applied }, "embedded database migrated");
}
