import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import {
  searchProducts,
  type ProductSearchAnswer,
} from "~/services/recommendations/product-lookup.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { withoutNul } from "~/lib/form-text";

const RESULTS = 10;
const searchInput = z.object({ q: z.string().max(100).catch("").transform(withoutNul) });

/** The product pickers' search: `?q=` → up to ten of the shop's products matching the title. */
export const loader = async ({ request }: LoaderFunctionArgs): Promise<ProductSearchAnswer> => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { q } = searchInput.parse({ q: new URL(request.url).searchParams.get("q") ?? "" });
  return { query: q, products: await searchProducts(getDatabase().sql, shop.id, q, RESULTS) };
};
