import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { describe, it } from "vitest";
import { migratedTestDatabase } from "../helpers/test-database";
import { roundTrip } from "./session-round-trip";

describe("Shopify session storage on PGlite", () => {
  it("stores, loads, finds and deletes a session", async () => {
    const database = await migratedTestDatabase();
    await roundTrip(new PrismaSessionStorage(database.prisma));
  });
});
