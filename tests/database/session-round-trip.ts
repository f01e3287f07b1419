import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { expect } from "vitest";
import type { PrismaClient } from "~/generated/prisma/client";

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

/** Stores, loads, finds and deletes one offline session through Shopify's Prisma storage. */
export async function roundTrip(storage: PrismaSessionStorage<PrismaClient>) {
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
