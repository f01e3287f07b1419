import { PrismaPg } from "@prisma/adapter-pg";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "~/generated/prisma/client";
import { applyMigrations } from "~/lib/migrations.server";
import { poolSqlClient } from "~/lib/database-adapter.server";
import pg from "pg";
import {
  createScratchPostgresDatabase,
  migratedTestDatabase,
  postgresUnavailableReason,
} from "../helpers/test-database";
import { openScratchPool } from "../helpers/scratch-postgres";

function sampleSession(shop: string): Session {
  const session = new Session({
    id: `offline_${shop}`,
    shop,
    state: "state-123",
    isOnline: false,
    scope: "read_customers,read_orders",
    accessToken: "shpat_test_token",
  });
  session.expires = new Date("2030-01-01T00:00:00Z");
  return session;
}

async function roundTrip(storage: PrismaSessionStorage<PrismaClient>) {
  const shop = "round-trip.myshopify.com";
  const session = sampleSession(shop);
  expect(await storage.storeSession(session)).toBe(true);
  const loaded = await storage.loadSession(session.id);
  expect(loaded?.shop).toBe(shop);
  expect(loaded?.accessToken).toBe("shpat_test_token");
  expect(loaded?.scope).toBe("read_customers,read_orders");
  expect(loaded?.expires?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
  expect((await storage.findSessionsByShop(shop)).map((s) => s.id)).toEqual([session.id]);
  expect(await storage.deleteSession(session.id)).toBe(true);
  expect(await storage.loadSession(session.id)).toBeUndefined();
}

describe("Shopify session storage on PGlite", () => {
  it("stores, loads, finds and deletes a session", async () => {
    const database = await migratedTestDatabase();
    await roundTrip(new PrismaSessionStorage(database.prisma));
  });
});

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
