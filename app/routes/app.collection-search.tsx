import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { withoutNul } from "~/lib/form-text";
import { logger } from "~/lib/logger.server";
import {
  searchCollections,
  type CollectionSearchAnswer,
} from "~/services/recommendations/collection-exclusions.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

const searchInput = z.object({ q: z.string().max(100).catch("").transform(withoutNul) });

/**
 * The collection picker's search: `?q=` → up to ten of the shop's collections whose titles
 * contain the words. The app does not sync collections, so Shopify's Admin API answers.
 */
export const loader = async ({ request }: LoaderFunctionArgs): Promise<CollectionSearchAnswer> => {
  const { admin, session } = await authenticateAdmin(request);
  const { q } = searchInput.parse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  try {
    const collections = await searchCollections({ transport: adminContextTransport(admin) }, q);
    return { query: q, collections, failed: false };
  } catch (error) {
    // The picker says the search failed; the page itself keeps working.
    logger.warn({ shop: session.shop, err: error }, "collection search failed");
    return { query: q, collections: [], failed: true };
  }
};
