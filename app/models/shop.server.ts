import { getDatabase } from "~/db.server";

export interface InstalledShop {
  id: number;
  domain: string;
  currency: string;
  ianaTimezone: string;
}

/** Records (or re-records) an install. Called after every successful OAuth/token exchange. */
export async function markShopInstalled(domain: string, scopes: string): Promise<void> {
  await getDatabase().prisma.shop.upsert({
    where: { domain },
    create: { domain, scopes, state: "installed" },
    update: { scopes, state: "installed", installedAt: new Date(), uninstalledAt: null },
  });
}

export async function markShopUninstalled(domain: string): Promise<void> {
  await getDatabase().prisma.shop.updateMany({
    where: { domain },
    data: { state: "uninstalled", uninstalledAt: new Date() },
  });
}

export async function findInstalledShop(domain: string): Promise<InstalledShop | null> {
  return getDatabase().prisma.shop.findFirst({
    where: { domain, state: "installed" },
    select: { id: true, domain: true, currency: true, ianaTimezone: true },
  });
}
