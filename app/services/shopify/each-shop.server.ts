import { logger } from "~/lib/logger.server";
import type { AdminGraphqlTransport, TransportFor } from "./admin-graphql.server";

export interface ShopToVisit {
  id: number;
  domain: string;
}

/**
 * Background work that talks to each shop's Admin API in turn: one shop's failure (no offline
 * session, Shopify down) is logged and left for the next pass without holding up the others,
 * and a stopping runner stops between shops.
 */
export async function forEachShopOnShopify(
  shops: readonly ShopToVisit[],
  options: { transportFor: TransportFor; isRunning: () => boolean; work: string },
  visit: (shop: ShopToVisit, transport: AdminGraphqlTransport) => Promise<unknown>,
): Promise<void> {
  for (const shop of shops) {
    if (!options.isRunning()) return;
    try {
      await visit(shop, await options.transportFor(shop.domain));
    } catch (error) {
      logger.warn({ shop: shop.domain, err: error }, `${options.work} will resume next pass`);
    }
  }
}
