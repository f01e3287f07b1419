import prisma from "~/db.server";
import { ShopNotInstalledError } from "~/lib/errors";

export interface InstalledShop {
  id: number;
  domain: string;
  currency: string;
  ianaTimezone: string;
}

/** Records (or re-records) an install. Called after every successful OAuth/token exchange. */
export async function markShopInstalled(domain: string, scopes: string): Promise<void> {
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, scopes, state: "installed" },
    update: { scopes, state: "installed", installedAt: new Date(), uninstalledAt: null },
  });
}

export async function markShopUninstalled(domain: string): Promise<void> {
  await prisma.shop.updateMany({
    where: { domain },
    data: { state: "uninstalled", uninstalledAt: new Date() },
  });
}

export async function findInstalledShop(domain: string): Promise<InstalledShop | null> {
  return prisma.shop.findFirst({
    where: { domain, state: "installed" },
    select: { id: true, domain: true, currency: true, ianaTimezone: true },
  });
}

/** The shop a request is about; throws when the shop never installed or has uninstalled. */
export async function requireInstalledShop(domain: string): Promise<InstalledShop> {
  const shop = await findInstalledShop(domain);
  if (!shop) throw new ShopNotInstalledError(domain);
  return shop;
}
