/**
 * Session storage with a short in-process memory for lookups. Storefront requests through the
 * app proxy load the shop's offline session on every call (authenticate.public.appProxy); at
 * hundreds of requests a second that database round trip was most of their cost. Writes and
 * deletes go straight through and forget the cached entry in this process; another process may
 * serve a removed session for at most `ttlMs`.
 */
import type { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

type SessionStorage = Pick<
  PrismaSessionStorage<never>,
  "storeSession" | "loadSession" | "deleteSession" | "deleteSessions" | "findSessionsByShop"
>;

export class CachedSessionStorage implements SessionStorage {
  private readonly cache = new Map<string, { session: Session | undefined; expires: number }>();

  constructor(
    private readonly storage: SessionStorage,
    private readonly ttlMs = 30_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async loadSession(id: string): Promise<Session | undefined> {
    const hit = this.cache.get(id);
    if (hit && hit.expires > this.now()) return hit.session;
    const session = await this.storage.loadSession(id);
    // Expired tokens are not worth keeping: the library refreshes them and stores the new one.
    if (session?.isExpired()) return session;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(id, { session, expires: this.now() + this.ttlMs });
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.cache.delete(session.id);
    return this.storage.storeSession(session);
  }

  async deleteSession(id: string): Promise<boolean> {
    this.cache.delete(id);
    return this.storage.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.cache.delete(id);
    return this.storage.deleteSessions(ids);
  }

  /** For changes made to a shop's sessions in SQL (uninstall, scope updates). */
  forgetShop(shop: string): void {
    for (const [id, entry] of this.cache) {
      if (entry.session === undefined || entry.session.shop === shop) this.cache.delete(id);
    }
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.storage.findSessionsByShop(shop);
  }
}
