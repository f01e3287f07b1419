/**
 * Recommendations for the thank-you page's checkout UI extension: the cart placement with the
 * order's products as context, personal when the buyer was signed in. The shop and the buyer
 * come from the checkout session token Shopify signed (`dest`, `sub`), never from the query.
 */
import type { JwtPayload } from "@shopify/shopify-api";
import { findInstalledShop } from "~/models/shop.server";
import {
  answerRecommendations,
  parseRecommendationParams,
  type RecommendationsAnswer,
} from "./recommendations-endpoint.server";

export type ThankYouAnswer =
  RecommendationsAnswer | { ok: false; status: 404; error: "shop_not_installed" };

/** `dest` is the shop's domain, with or without a scheme depending on the surface. */
export function shopDomainOf(token: Pick<JwtPayload, "dest">): string {
  return token.dest.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
}

/** A signed-in buyer's `sub` is their customer GID; a guest's token has none. */
export function customerIdOf(token: Pick<JwtPayload, "sub">): bigint | null {
  const id = /^gid:\/\/shopify\/Customer\/(\d{1,19})$/.exec(token.sub ?? "")?.[1];
  return id && BigInt(id) <= 9223372036854775807n ? BigInt(id) : null;
}

/** `?product_ids=&limit=` of the order, answered like a cart with those products. */
export async function thankYouRecommendations(
  token: Pick<JwtPayload, "dest" | "sub">,
  url: URL,
): Promise<ThankYouAnswer> {
  const shop = await findInstalledShop(shopDomainOf(token));
  if (!shop) return { ok: false, status: 404, error: "shop_not_installed" };
  const params = { ...parseRecommendationParams(url), productId: null, context: "thank_you" };
  return answerRecommendations(shop, customerIdOf(token), params);
}
