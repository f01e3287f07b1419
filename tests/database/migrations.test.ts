import { spawnSync } from "node:child_process";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteSqlClient, poolSqlClient, type SqlClient } from "~/lib/database-adapter.server";
import { applyMigrations, readMigrations } from "~/lib/migrations.server";
import { REPO_ROOT } from "../helpers/shared-data";
import { createScratchPostgresDatabase, postgresUnavailableReason } from "../helpers/test-database";
import { openScratchPool } from "../helpers/scratch-postgres";

function prismaCli(args: string[], env: Record<string, string>) {
  return spawnSync("npx", ["prisma", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
  });
}

/** Everything the schema defines, in a comparable form. */
async function catalog(sql: SqlClient) {
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
            numeric_precision, numeric_scale
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
     ORDER BY table_name, column_name`,
  );
  const indexes = await sql.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
  );
  const constraints = await sql.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY conname`,
  );
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
}

describe("migrations on PGlite", () => {
  it("apply once, record Prisma's bookkeeping, and are a no-op the second time", async () => {
    const sql = pgliteSqlClient(new PGlite());
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(await applyMigrations(sql)).toEqual(names);
    expect(await applyMigrations(sql)).toEqual([]);
    const { rows } = await sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    await sql.close();
  });

  it("build exactly the schema that prisma/schema.prisma describes (no drift)", async () => {
    const fromSchema = prismaCli(
      [
        "migrate",
        "diff",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/schema.prisma",
        "--script",
      ],
      { PGLITE_DATA_DIR: "memory", DATABASE_URL: "" },
    );
    expect(fromSchema.status, fromSchema.stderr).toBe(0);

    const migrated = pgliteSqlClient(new PGlite());
    await applyMigrations(migrated);
    const expected = pgliteSqlClient(new PGlite());
    await expected.exec(fromSchema.stdout);

    expect(await catalog(migrated)).toEqual(await catalog(expected));
    await migrated.close();
    await expected.close();
  }, 60_000);
});

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping PostgreSQL migration tests: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("migrations on PostgreSQL", () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgresDatabase>>;

  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase();
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it("prisma migrate deploy applies them, and agrees with the in-process runner", async () => {
    const deploy = prismaCli(["migrate", "deploy"], { DATABASE_URL: scratch.url });
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/successfully applied|No pending migrations/);

    const pool = openScratchPool(scratch.url, 1);
    // The runner sees what the CLI recorded and has nothing left to do.
    expect(await applyMigrations(poolSqlClient(pool))).toEqual([]);
    await pool.end();

    const again = prismaCli(["migrate", "deploy"], { DATABASE_URL: scratch.url });
    expect(again.stdout).toContain("No pending migrations");
  }, 90_000);
});
