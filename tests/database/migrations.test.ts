import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteSqlClient, type SqlClient } from "~/lib/database-adapter.server";
import { applyMigrations, readMigrations } from "~/lib/migrations.server";
import { prismaCli, type PrismaCliResult } from "../helpers/prisma-cli";

/**
 * Everything the schema defines, in a comparable form. The partitions of a partitioned table
 * are left out: the schema describes the table, its partitions come and go with time.
 */
async function catalog(sql: SqlClient) {
  const { rows } = await sql.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relispartition`,
  );
  const partitions = rows.map((row) => row.name);
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
            numeric_precision, numeric_scale
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       AND NOT (table_name = ANY($1::text[]))
     ORDER BY table_name, column_name`,
    [partitions],
  );
  const indexes = await sql.query(
    // a partitioned table's index reads `ON ONLY`, as the schema has no word for partitioning
    `SELECT tablename, indexname, replace(indexdef, ' ON ONLY ', ' ON ') AS indexdef FROM pg_indexes
     WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
       AND NOT (tablename = ANY($1::text[])) ORDER BY indexname`,
    [partitions],
  );
  const constraints = await sql.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = 'public'::regnamespace
       AND conrelid::regclass::text <> '_prisma_migrations'
       AND NOT (conrelid::regclass::text = ANY($1::text[])) ORDER BY conname`,
    [partitions],
  );
  return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
}

// Two empty databases, on purpose not the suite's pre-migrated snapshot: these tests are the
// ones that apply the migrations from scratch. The Prisma CLI runs in its own process while
// they start.
describe("migrations on PGlite", () => {
  let fromSchema: Promise<PrismaCliResult>;
  let migrated: SqlClient;
  let ranFirst: string[];

  beforeAll(async () => {
    fromSchema = prismaCli(
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
    migrated = pgliteSqlClient(new PGlite());
    ranFirst = await applyMigrations(migrated);
  });

  afterAll(async () => {
    await fromSchema;
    await migrated?.close();
  });

  it("apply once, record Prisma's bookkeeping, and are a no-op the second time", async () => {
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(ranFirst).toEqual(names);
    expect(await applyMigrations(migrated)).toEqual([]);
    const { rows } = await migrated.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
  });

  it("build exactly the schema that prisma/schema.prisma describes (no drift)", async () => {
    const expected = pgliteSqlClient(new PGlite());
    const cli = await fromSchema;
    expect(cli.status, cli.stderr).toBe(0);
    await expected.exec(cli.stdout);

    expect(await catalog(migrated)).toEqual(await catalog(expected));
    await expected.close();
  }, 60_000);
});
