import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "~/db.server";
import { CachedSessionStorage } from "./cached-session-storage.server";

/** The app's one session storage: Prisma, with the short lookup memory storefront calls need. */
export const appSessionStorage = new CachedSessionStorage(new PrismaSessionStorage(prisma));
