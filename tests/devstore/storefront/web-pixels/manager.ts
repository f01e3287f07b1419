// The simulated storefront's stand-in for Shopify's web pixels manager, on every page: the
// consent banner's buttons (accept / decline, remembered in a cookie; the server renders the
// banner while there is no choice) that set the visitor's customer privacy, the strict sandbox (a web worker, sandbox.ts) that runs the app's pixel bundle, and
// the standard events of the page (page_viewed, plus what the server put in the page's
// config) and of adds to cart (observed on the Cart AJAX API, as Shopify does).
//
// Unlike Shopify's manager it loads the pixel whatever the consent, so the pixel's own consent
// handling is what keeps events from leaving without it.
import { CONSENT_COOKIE, type PageConfig, type PageEvent } from "./page-config";

const CLIENT_COOKIE = "_shopify_y";
const YEAR_SECONDS = 365 * 24 * 3600;

type Choice = "accepted" | "declined";

const cookie = (name: string) =>
  new RegExp(`(?:^|; )${name}=([\\w-]+)`).exec(document.cookie)?.[1] ?? null;
const setCookie = (name: string, value: string) => {
  document.cookie = `${name}=${value}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`;
};

function choice(): Choice | null {
  const value = cookie(CONSENT_COOKIE);
  return value === "accepted" || value === "declined" ? value : null;
}

/** What the pixel reads as `init.customerPrivacy`: all allowed on accept, none otherwise. */
function privacyOf(current: Choice | null) {
  const allowed = current === "accepted";
  return {
    analyticsProcessingAllowed: allowed,
    marketingAllowed: allowed,
    preferencesProcessingAllowed: allowed,
    saleOfDataAllowed: allowed,
  };
}

const config = JSON.parse(
  document.getElementById("devstore-web-pixels")?.textContent ?? "null",
) as PageConfig;
// Shopify's client id cookie is kept only once the visitor allows it; until then each page has
// its own (its events never leave anyway).
const clientId = cookie(CLIENT_COOKIE) ?? crypto.randomUUID();
if (choice() === "accepted") setCookie(CLIENT_COOKIE, clientId);

const worker = config.settings ? startSandbox(config) : null;
let seq = 0;

function startSandbox(page: PageConfig): Worker {
  const sandbox = new Worker(page.sandboxUrl);
  sandbox.addEventListener("message", ({ data }: MessageEvent) => {
    void answer(data as SandboxRequest).then((value) =>
      sandbox.postMessage({ type: "reply", id: (data as SandboxRequest).id, value }),
    );
  });
  sandbox.postMessage({
    type: "init",
    bundleUrl: page.bundleUrl,
    settings: page.settings,
    init: {
      context: context(),
      data: { customer: page.customer, cart: null, shop: page.shop, purchasingCompany: null },
      customerPrivacy: privacyOf(choice()),
    },
  });
  return sandbox;
}

type SandboxRequest =
  | { id: number; type: "beacon"; url: string; body: string }
  | {
      id: number;
      type: "storage";
      op: "getItem" | "setItem" | "removeItem";
      key: string;
      value?: string;
    };

/** The sandbox's `browser` calls, run in the top frame as Shopify runs them. */
async function answer(request: SandboxRequest): Promise<unknown> {
  if (request.type === "beacon") return navigator.sendBeacon(request.url, request.body);
  if (request.op === "getItem") return sessionStorage.getItem(request.key);
  if (request.op === "setItem") sessionStorage.setItem(request.key, request.value ?? "");
  else sessionStorage.removeItem(request.key);
  return undefined;
}

function context() {
  return {
    document: {
      location: {
        href: location.href,
        hash: location.hash,
        host: location.host,
        hostname: location.hostname,
        origin: location.origin,
        pathname: location.pathname,
        port: location.port,
        protocol: location.protocol,
        search: location.search,
      },
      referrer: document.referrer,
      characterSet: document.characterSet,
      title: document.title,
    },
    navigator: { language: navigator.language, cookieEnabled: navigator.cookieEnabled },
    window: { innerWidth: innerWidth, innerHeight: innerHeight, origin: location.origin },
  };
}

/** Publishes a standard event to the pixel, shaped as Shopify's. */
function publish({ name, data }: PageEvent) {
  worker?.postMessage({
    type: "event",
    event: {
      id: `sh-${crypto.randomUUID()}`,
      name,
      type: "standard",
      clientId,
      timestamp: new Date().toISOString(),
      seq: ++seq,
      context: context(),
      data,
    },
  });
}

interface AddedItem {
  variant_id: string;
  product_id: string;
  title: string;
  quantity: number;
  price: number;
}

// Shopify publishes product_added_to_cart for every add through the Cart AJAX API, whichever
// script made it (the theme's button, the app's blocks).
const pageFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await pageFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input), location.href);
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (url.pathname === "/cart/add.js" && method === "POST" && response.ok) {
    void response
      .clone()
      .json()
      .then(({ items }: { items: AddedItem[] }) => {
        for (const item of items) publish(addedToCart(item));
      });
  }
  return response;
};

function addedToCart(item: AddedItem): PageEvent {
  const amount = (cents: number) => ({ amount: cents / 100, currencyCode: config.shop.currency });
  return {
    name: "product_added_to_cart",
    data: {
      cartLine: {
        quantity: item.quantity,
        cost: { totalAmount: amount(item.price * item.quantity) },
        merchandise: {
          id: item.variant_id,
          price: amount(item.price),
          product: { id: item.product_id, title: item.title },
        },
      },
    },
  };
}

/** The privacy banner (in the page until the visitor chooses): the choice reaches the pixel at once. */
function wireConsentBanner(banner: HTMLElement) {
  banner.addEventListener("click", (event) => {
    const picked = (event.target as Element).closest<HTMLElement>("[data-consent]")?.dataset
      .consent as Choice | undefined;
    if (!picked) return;
    setCookie(CONSENT_COOKIE, picked);
    if (picked === "accepted") setCookie(CLIENT_COOKIE, clientId);
    banner.remove();
    worker?.postMessage({ type: "consent", customerPrivacy: privacyOf(picked) });
  });
}

const banner = document.querySelector<HTMLElement>("[data-devstore-consent]");
if (banner) wireConsentBanner(banner);
for (const event of [{ name: "page_viewed" as const, data: {} }, ...config.events]) publish(event);
