import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { CachedSessionStorage } from "./cached-session-storage.server";

function fakeStorage() {
  const sessions = new Map<string, Session>();
  const calls = { load: 0 };
  return {
    calls,
    sessions,
    storeSession: async (session: Session) => (sessions.set(session.id, session), true),
    loadSession: async (id: string) => {
      calls.load += 1;
      return sessions.get(id);
    },
    deleteSession: async (id: string) => sessions.delete(id),
    deleteSessions: async (ids: string[]) => ids.every((id) => sessions.delete(id)),
    findSessionsByShop: async (shop: string) =>
      [...sessions.values()].filter((session) => session.shop === shop),
  };
}

const offline = (token: string) =>
  new Session({
    id: "offline_a.myshopify.com",
    shop: "a.myshopify.com",
    state: "",
    isOnline: false,
    accessToken: token,
  });

describe("CachedSessionStorage", () => {
  it("serves repeated lookups from memory until the entry expires", async () => {
    let clock = 0;
    const storage = fakeStorage();
    const cached = new CachedSessionStorage(storage, 1000, 100, () => clock);
    await storage.storeSession(offline("t1"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    await cached.loadSession("offline_a.myshopify.com");
    expect(storage.calls.load).toBe(1);
    clock = 1001;
    await cached.loadSession("offline_a.myshopify.com");
    expect(storage.calls.load).toBe(2);
  });

  it("forgets an entry when this process stores or deletes it", async () => {
    const storage = fakeStorage();
    const cached = new CachedSessionStorage(storage);
    await cached.storeSession(offline("t1"));
    await cached.loadSession("offline_a.myshopify.com");
    await cached.storeSession(offline("t2"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t2");
    await cached.deleteSession("offline_a.myshopify.com");
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });

  it("forgets a shop's sessions changed behind its back (uninstall, scope update)", async () => {
    const storage = fakeStorage();
    const cached = new CachedSessionStorage(storage);
    await cached.storeSession(offline("t1"));
    await cached.loadSession("offline_a.myshopify.com");
    storage.sessions.clear();
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeDefined();
    cached.forgetShop("a.myshopify.com");
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();
  });
});
