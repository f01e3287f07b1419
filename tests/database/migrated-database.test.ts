import { describe, expect, inject, it } from "vitest";
import { getDatabase } from "~/db.server";
import { applyMigrations, readMigrations } from "~/lib/migrations.server";

describe("the fast tier's database", () => {
  it("starts from the run's migrated dump, with every migration already recorded", async () => {
    // GIVEN the dump migrated once for this run (tests/setup/migrated-database.global.ts)
    expect(inject("migratedDatabaseSnapshot")).toMatch(/migrated\.tar$/);
    // WHEN this file opens the app's database
    const { sql } = getDatabase();
    // THEN it holds every migration's tables and bookkeeping, and none is left to apply
    const { rows } = await sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(await applyMigrations(sql)).toEqual([]);
  });
});
