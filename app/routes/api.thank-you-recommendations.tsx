import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { CACHE_CONTROL, jsonRefusal, methodNotAllowed } from "~/routes/http/answers.server";
import { thankYouRecommendations } from "~/services/storefront/thank-you-recommendations.server";
import { authenticate } from "~/shopify.server";

/**
 * GET /api/thank-you-recommendations?product_ids=&limit= from the thank-you page extension
 * (extensions/rekindle-thank-you), authenticated by its checkout session token (a bearer; no
 * token or a bad one: 401). Answers carry CORS headers, since checkout runs on Shopify's origin.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { sessionToken, cors } = await authenticate.public.checkout(request);
  const headers = { "Cache-Control": CACHE_CONTROL.private };
  try {
    return cors(
      json(await thankYouRecommendations(sessionToken, new URL(request.url)), { headers }),
    );
  } catch (error) {
    return cors(jsonRefusal(error, headers));
  }
}

/** CORS preflight (OPTIONS reaches the action): `authenticate` answers it with a 204. */
export async function action({ request }: ActionFunctionArgs) {
  const { cors } = await authenticate.public.checkout(request);
  return cors(methodNotAllowed("GET"));
}
