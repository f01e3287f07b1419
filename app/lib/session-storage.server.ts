import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "~/db.server";
import { CachedSessionStorage } from "./cached-session-storage.server";

declare global {
  // One per process whatever loaded this module: the Remix build bundles its own copy of it,
  // and a second instance would serve sessions the other has forgotten (uninstall, reinstall).
  var rekindleSessionStorage: CachedSessionStorage | undefined;
}

/** The app's one session storage: Prisma, with the short lookup memory storefront calls need. */
export const appSessionStorage = (globalThis.rekindleSessionStorage ??= new CachedSessionStorage(
  new PrismaSessionStorage(prisma),
));
