import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { PrismaClient } from "~/generated/prisma/client";
import { poolSqlClient } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";
import {
  createScratchPostgresDatabase,
  openScratchPool,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { roundTrip } from "./session-round-trip";

const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping PostgreSQL session storage test: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("Shopify session storage on PostgreSQL", () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgresDatabase>>;
  let pool: pg.Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase();
    pool = openScratchPool(scratch.url, 2);
    await applyMigrations(poolSqlClient(pool));
    prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await scratch?.drop();
  });

  it("stores, loads, finds and deletes a session", async () => {
    await roundTrip(new PrismaSessionStorage(prisma));
  });
});
