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

/** Tries of `prisma migrate deploy` while other processes hold its lock. */
const MIGRATE_ATTEMPTS = 6;

/**
 * Brings the schema up to date before serving. PostgreSQL goes through `prisma migrate
 * deploy`; the embedded PGlite database is migrated in-process from the same migration files
 * (the CLI cannot share a PGlite folder with a running process).
 */
export async function migrateDatabase(env: Env): Promise<void> {
  if (env.DATABASE_URL) {
    for (let attempt = 1; ; attempt += 1) {
      const result = spawnSync("prisma", ["migrate", "deploy"], {
        stdio: ["ignore", "pipe", "pipe"],
        encoding: "utf8",
      });
      if (result.status === 0) break;
      const output = result.stderr || result.stdout;
      // P1002: Prisma waits 10 s for its migration lock. Processes started together (web and
      // workers) queue on it, and a slow machine can keep each one there longer: the others
      // then find the migrations applied once they get the lock.
      if (output.includes("P1002") && attempt < MIGRATE_ATTEMPTS) {
        logger.warn({ attempt }, "another process is migrating the database; waiting for it");
        continue;
      }
      throw new Error(`prisma migrate deploy failed:\n${output}`);
    }
    logger.info("database migrated (prisma migrate deploy)");
    return;
  }
  const applied = await applyMigrations(getDatabase().sql);
  logger.info({ applied }, "embedded database migrated");
}
