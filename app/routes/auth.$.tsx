import type { LoaderFunctionArgs } from "@remix-run/node";
import { ShopifyError } from "@shopify/shopify-api";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  try {
    await authenticateAdmin(request);
  } catch (error) {
    // The library refuses a malformed auth request (an exit-iframe destination off the app's
    // origin) by throwing; that is the caller's fault, not a server error.
    if (error instanceof ShopifyError) throw new Response("Bad request", { status: 400 });
    throw error;
  }
  return null;
};
