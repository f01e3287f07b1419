// What a storefront page tells the web pixels manager stand-in (manager.ts): the app's pixel
// settings (null while the app has not activated its pixel), the signed-in customer as
// Shopify's `init.data.customer`, and the page's own standard events after page_viewed.

/** The visitor's answer to the store's privacy banner: "accepted" or "declined". */
export const CONSENT_COOKIE = "devstore_tracking_consent";

export interface PageEvent {
  name:
    | "page_viewed"
    | "product_viewed"
    | "collection_viewed"
    | "search_submitted"
    | "product_added_to_cart"
    | "checkout_started"
    | "checkout_completed";
  data: Record<string, unknown>;
}

export interface PageConfig {
  settings: Record<string, string> | null;
  bundleUrl: string;
  sandboxUrl: string;
  shop: { name: string; myshopifyDomain: string; currency: string };
  customer: {
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    phone: string | null;
    ordersCount: number;
  } | null;
  events: PageEvent[];
}
