import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { pgliteSqlClient } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";

declare module "vitest" {
  interface ProvidedContext {
    /** Path of a PGlite dump with every migration applied (see migrated-database.ts). */
    migratedDatabaseSnapshot: string;
  }
}

/**
 * Once per `vitest run`: migrates one in-memory PGlite and dumps it to a temporary file. Each
 * test file's database starts from that dump (tests/setup/migrated-database.ts), which skips
 * PostgreSQL's initdb and the migrations in every file; tests/database/migrations.test.ts still
 * applies the migrations from scratch.
 */
export default async function createMigratedDatabaseSnapshot(project: TestProject) {
  const pglite = new PGlite();
  await applyMigrations(pgliteSqlClient(pglite));
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const folder = mkdtempSync(path.join(tmpdir(), "rekindle-test-database-"));
  const file = path.join(folder, "migrated.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("migratedDatabaseSnapshot", file);
  return () => rmSync(folder, { recursive: true, force: true });
}
