import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { getDatabase } from "~/db.server";
import { CachedSessionStorage } from "./cached-session-storage.server";

declare global {
  // One per process whatever loaded this module: the Remix build bundles its own copy of it,
  // and a second instance would serve sessions the other has forgotten (uninstall, reinstall).
  var rekindleSessionStorage: CachedSessionStorage | undefined;
}

/**
 * The app's one session storage: Prisma, with the short lookup memory storefront calls need.
 * Created on first use: Prisma's storage checks for its table when it is built, so it must not
 * be built before the database is migrated.
 */
export function appSessionStorage(): CachedSessionStorage {
  globalThis.rekindleSessionStorage ??= new CachedSessionStorage(
    new PrismaSessionStorage(getDatabase().prisma),
  );
  return globalThis.rekindleSessionStorage;
}
