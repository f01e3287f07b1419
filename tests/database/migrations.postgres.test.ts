import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolSqlClient } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";
import { prismaCli } from "../helpers/prisma-cli";
import {
  createScratchPostgresDatabase,
  openScratchPool,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";

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
    const deploy = await prismaCli(["migrate", "deploy"], { DATABASE_URL: scratch.url });
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/successfully applied|No pending migrations/);

    const pool = openScratchPool(scratch.url, 1);
    // The runner sees what the CLI recorded and has nothing left to do.
    expect(await applyMigrations(poolSqlClient(pool))).toEqual([]);
    await pool.end();

    const again = await prismaCli(["migrate", "deploy"], { DATABASE_URL: scratch.url });
    expect(again.stdout).toContain("No pending migrations");
  }, 90_000);
});
