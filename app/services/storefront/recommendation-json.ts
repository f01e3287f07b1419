/**
 * The `/recommendations` answer in exactly the shape the storefront script's `parseRecommendations`
 * (app/storefront/lib/data.ts) accepts: string ids, same-origin product paths, money as
 * { amount, currencyCode } and images with positive width and height. `variantId` is what a card
 * adds to the cart; `variants` feeds the card's picker and is empty for a single-variant product.
 */
import type { StorefrontProduct } from "~/services/recommendations/catalogue.server";

export interface MoneyJson {
  amount: string;
  currencyCode: string;
}

export interface ProductJson {
  id: string;
  title: string;
  handle: string;
  url: string;
  price: MoneyJson;
  compareAtPrice: MoneyJson | null;
  image: { url: string; alt: string; width: number; height: number } | null;
  /** The variant the price shows when it is for sale; null when the product is sold out. */
  variantId: string | null;
  /** Up to MAX_PICKER_VARIANTS variants by id when the product has more than one, else []. */
  variants: VariantJson[];
}

export interface VariantJson {
  id: string;
  title: string;
  price: MoneyJson;
  available: boolean;
}

export interface RecommendationsJson {
  requestId: string;
  /** Sent back with each impression and click (event-token.server.ts). */
  token: string;
  source: string;
  products: ProductJson[];
}

/**
 * The product table keeps no image dimensions. The card shows images in a square box with
 * object-fit: cover, so a square nominal size is what the layout reserves anyway (no shift).
 */
const IMAGE_SIZE = 800;

/** Null when the product has no price to show (no variants synced yet): the script drops it. */
export function productJson(product: StorefrontProduct, currency: string): ProductJson | null {
  if (product.price === null) return null;
  const price = money(product.price, currency);
  const compare = product.compareAtPrice === null ? null : money(product.compareAtPrice, currency);
  const handle = encodeURIComponent(product.handle);
  return {
    id: product.id,
    title: product.title,
    handle: product.handle,
    url: `/products/${handle}`,
    price,
    // A compare-at price at or below the price is not a sale; the badge must not show.
    compareAtPrice: compare && Number(compare.amount) > Number(price.amount) ? compare : null,
    image:
      product.imageUrl && /^https:\/\//.test(product.imageUrl)
        ? // Empty alt: the card's title sits right beside the image and is read already.
          { url: product.imageUrl, alt: "", width: IMAGE_SIZE, height: IMAGE_SIZE }
        : null,
    variantId: product.variantId,
    variants:
      product.variants.length > 1
        ? product.variants.map((variant) => ({
            id: variant.id,
            title: variant.title,
            price: money(variant.price, currency),
            available: variant.available,
          }))
        : [],
  };
}

/** numeric(20,4) text without the storage padding: 10.0000 → 10.00, 10.1250 → 10.125. */
function money(amount: string, currency: string): MoneyJson {
  return { amount: amount.replace(/(\.\d\d\d*?)0+$/, "$1"), currencyCode: currency };
}
