/**
 * Recommendations for the thank-you page's checkout UI extension: the cart placement with the
 * order's products as context, personal when the buyer was signed in. The shop and the buyer
 * come from the checkout session token Shopify signed (`dest`, `sub`), never from the query.
 */
import type { JwtPayload } from "@shopify/shopify-api";
import { ShopNotInstalledError } from "~/lib/errors";
import { findInstalledShop } from "~/models/shop.server";
import {
  answerRecommendations,
  parseRecommendationParams,
} from "./recommendations-endpoint.server";
import type { RecommendationsJson } from "./recommendation-json";

/** `dest` is the shop's domain, with or without a scheme depending on the surface. */
export function shopDomainOf(token: Pick<JwtPayload, "dest">): string {
  return token.dest.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
}

/** A signed-in buyer's `sub` is their customer GID; a guest's token has none. */
export function customerIdOf(token: Pick<JwtPayload, "sub">): bigint | null {
  const id = /^gid:\/\/shopify\/Customer\/(\d{1,19})$/.exec(token.sub ?? "")?.[1];
  return id && BigInt(id) <= 9223372036854775807n ? BigInt(id) : null;
}

/**
 * `?product_ids=&limit=` of the order, answered like a cart with those products.
 * @throws ShopNotInstalledError, and what answerRecommendations throws
 */
export async function thankYouRecommendations(
  token: Pick<JwtPayload, "dest" | "sub">,
  url: URL,
): Promise<RecommendationsJson> {
  const domain = shopDomainOf(token);
  const shop = await findInstalledShop(domain);
  if (!shop) throw new ShopNotInstalledError(domain);
  const params = { ...parseRecommendationParams(url), productId: null, context: "thank_you" };
  return answerRecommendations(shop, customerIdOf(token), params);
}
