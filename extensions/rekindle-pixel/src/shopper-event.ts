import type {
  PixelEventsCheckoutCompleted,
  PixelEventsCheckoutStarted,
  PixelEventsCollectionViewed,
  PixelEventsPageViewed,
  PixelEventsProductAddedToCart,
  PixelEventsProductViewed,
  PixelEventsSearchSubmitted,
} from "@shopify/web-pixels-extension";

/** The standard events the app stores (the contract's `name`). */
export const TRACKED_EVENTS = [
  "page_viewed",
  "product_viewed",
  "collection_viewed",
  "search_submitted",
  "product_added_to_cart",
  "checkout_started",
  "checkout_completed",
] as const;

export type TrackedEvent =
  | PixelEventsPageViewed
  | PixelEventsProductViewed
  | PixelEventsCollectionViewed
  | PixelEventsSearchSubmitted
  | PixelEventsProductAddedToCart
  | PixelEventsCheckoutStarted
  | PixelEventsCheckoutCompleted;

export interface Consent {
  analytics: boolean;
  marketing: boolean;
}

/** One event as the ingest endpoint takes it. */
export interface ShopperEvent {
  id: string;
  name: TrackedEvent["name"];
  at: string;
  clientId: string;
  customerId?: string;
  productId?: string;
  variantId?: string;
  collectionId?: string;
  query?: string;
  path?: string;
  consent: Consent;
}

/** The ingest keeps at most this much of free text; longer is cut here rather than refused. */
const MAX_QUERY = 200;
const MAX_PATH = 512;

const idOf = (value: string | null | undefined) => value ?? undefined;

/**
 * What the app needs of a Shopify event: ids and the page, never names, prices or emails. The
 * customer is the one whose order a completed checkout placed (a guest's too: the ingest then
 * stitches the browser to them), else the signed-in one.
 */
export function shopperEvent(
  event: TrackedEvent,
  signedInCustomerId: string | undefined,
  consent: Consent,
): ShopperEvent {
  const buyer =
    event.name === "checkout_completed" ? event.data.checkout.order?.customer?.id : undefined;
  const out: ShopperEvent = {
    id: event.id,
    name: event.name,
    at: event.timestamp,
    clientId: event.clientId,
    customerId: idOf(buyer) ?? signedInCustomerId,
    path: event.context.document.location.pathname.slice(0, MAX_PATH),
    consent,
  };
  const variant =
    event.name === "product_viewed"
      ? event.data.productVariant
      : event.name === "product_added_to_cart"
        ? event.data.cartLine?.merchandise
        : undefined;
  if (variant) {
    out.productId = idOf(variant.product.id);
    out.variantId = idOf(variant.id);
  }
  if (event.name === "collection_viewed") out.collectionId = event.data.collection.id;
  if (event.name === "search_submitted") {
    out.query = event.data.searchResult.query.slice(0, MAX_QUERY);
  }
  return out;
}
