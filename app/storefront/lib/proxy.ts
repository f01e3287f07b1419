// Talking to the app proxy (/apps/rekindle on the shop's own domain). These are the only
// network requests the storefront scripts make. The shopper's identity is never sent from the
// page: Shopify signs the proxied request with `logged_in_customer_id` itself.

export const DEFAULT_PROXY_URL = "/apps/rekindle";
const TIMEOUT_MS = 8000;

/** The proxy prefix from `data-proxy-url`, accepted only as a same-origin path. */
export function proxyBase(value: string | undefined): string {
  if (value && /^\/[\w\-/]*$/.test(value) && !value.startsWith("//")) {
    return value.replace(/\/+$/, "");
  }
  return DEFAULT_PROXY_URL;
}

const VISITOR_KEY = "rekindle:visitor";

/** False only when Shopify's Customer Privacy API says the shopper declined analytics. */
export function analyticsAllowed(): boolean {
  const privacy = (
    window as { Shopify?: { customerPrivacy?: { analyticsProcessingAllowed?: () => boolean } } }
  ).Shopify?.customerPrivacy;
  return !privacy?.analyticsProcessingAllowed || privacy.analyticsProcessingAllowed();
}

/**
 * A random id kept in this browser, so a merchant's test against bestsellers shows a visitor the
 * same version on every page. None when the shopper declined analytics (Shopify's Customer
 * Privacy API) or storage is unavailable: such visitors simply stay out of tests.
 */
export function visitorId(): string | null {
  try {
    if (!analyticsAllowed()) return null;
    let id = localStorage.getItem(VISITOR_KEY);
    if (!id || !/^[\w-]{8,64}$/.test(id)) {
      id = Math.random().toString(36).slice(2) + Date.now().toString(36);
      localStorage.setItem(VISITOR_KEY, id);
    }
    return id;
  } catch {
    return null;
  }
}

/** GET a JSON document from the proxy; rejects on network errors, timeouts and non-2xx. */
export async function getJson(url: string): Promise<unknown> {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : 0;
  try {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    });
    if (!response.ok) throw new Error(`Rekindle proxy answered ${response.status}`);
    return (await response.json()) as unknown;
  } finally {
    clearTimeout(timer);
  }
}

export type StorefrontEventType =
  "impression" | "click" | "add_to_cart" | "offer_view" | "offer_dismiss" | "offer_copy";

export interface StorefrontEvent {
  type: StorefrontEventType;
  block: "recommendations" | "frequently_bought_together" | "winback_banner";
  requestId?: string;
  productId?: string;
  offerId?: string;
  context?: string;
  /** Recommendations events: the answer's token and its served ids, as the proxy sent them. */
  token?: string;
  productIds?: string;
}

/**
 * Records an event with `navigator.sendBeacon` (survives navigation after a click). The body is
 * the event as a JSON string; a string body is sent as `text/plain;charset=UTF-8`, the one
 * content type every browser's beacon accepts. Falls back to a keepalive fetch. Fire and forget.
 */
export function sendEvent(base: string, event: StorefrontEvent): void {
  const url = `${base}/events`;
  const body = JSON.stringify(event);
  try {
    if (typeof navigator.sendBeacon === "function" && navigator.sendBeacon(url, body)) return;
  } catch {
    // Fall through to fetch.
  }
  try {
    fetch(url, {
      method: "POST",
      body,
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
    }).catch(() => undefined);
  } catch {
    // Analytics must never break the page.
  }
}
