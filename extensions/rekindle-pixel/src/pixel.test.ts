import type { ExtensionApi } from "@shopify/web-pixels-extension";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_PIXEL_EVENTS, PIXEL_EVENT_NAMES } from "../../../app/services/behaviour/pixel-batch";
import { BATCH_SIZE, CLIENT_ID_KEY, FLUSH_DELAY_MS, QUEUE_KEY, startPixel } from "./pixel";

// The pixel against a stand-in of the sandbox's API: what it sends, when, and with which
// consent. (tests/e2e/web-pixel-storefront.test.ts runs the built bundle in Chromium.)
const SETTINGS = {
  ingestUrl: "https://app.example/pixel/events",
  shop: "s.myshopify.com",
  shopKey: "k".repeat(22),
};

interface Privacy {
  analyticsProcessingAllowed: boolean;
  marketingAllowed: boolean;
}

function sandbox(options: {
  privacy: Privacy;
  saved?: string;
  beaconAccepts?: boolean;
  customerId?: string;
}) {
  const listeners = new Map<string, (event: unknown) => void>();
  const consentListeners: Array<(event: unknown) => void> = [];
  const storage = new Map<string, string>(options.saved ? [[QUEUE_KEY, options.saved]] : []);
  const pageStorage = new Map<string, string>();
  const beacons: Array<{ url: string; events: Array<Record<string, unknown>> }> = [];
  let sequence = 0;
  const api = {
    analytics: {
      subscribe: (name: string, listener: (event: unknown) => void) => {
        listeners.set(name, listener);
        return () => true;
      },
    },
    browser: {
      sendBeacon: async (url: string, body: string) => {
        if (options.beaconAccepts === false) return false;
        beacons.push({ url, events: JSON.parse(body).events });
        return true;
      },
      sessionStorage: {
        getItem: async (key: string) => storage.get(key) ?? null,
        setItem: async (key: string, value: string) => void storage.set(key, value),
        removeItem: async (key: string) => void storage.delete(key),
      },
      localStorage: {
        getItem: async (key: string) => pageStorage.get(key) ?? null,
        setItem: async (key: string, value: string) => void pageStorage.set(key, value),
        removeItem: async (key: string) => void pageStorage.delete(key),
      },
    },
    init: {
      customerPrivacy: {
        ...options.privacy,
        preferencesProcessingAllowed: false,
        saleOfDataAllowed: false,
      },
      data: { customer: options.customerId ? { id: options.customerId } : null },
    },
    settings: SETTINGS,
    customerPrivacy: {
      subscribe: (_name: string, listener: (event: unknown) => void) => {
        consentListeners.push(listener);
        return () => true;
      },
    },
    _pixelInfo: {},
  };
  startPixel(api as unknown as ExtensionApi);
  return {
    storage,
    pageStorage,
    beacons,
    sentNames: () => beacons.flatMap((beacon) => beacon.events.map((event) => event.name)),
    publish(name: string, data: Record<string, unknown> = {}) {
      sequence += 1;
      listeners.get(name)?.({
        id: `sh-${sequence}`,
        name,
        clientId: "client-1",
        timestamp: "2026-12-03T10:00:00.000Z",
        context: { document: { location: { pathname: `/page/${sequence}` } } },
        data,
      });
    },
    consent(privacy: Privacy) {
      for (const listener of consentListeners) listener({ customerPrivacy: privacy });
    },
    subscribed: () => [...listeners.keys()],
  };
}

/** A fetch whose requests the app answers 503 (until the test says otherwise). */
function failingFetch() {
  const fetch = vi.fn(
    async (_url: string, _init?: RequestInit) => new Response(null, { status: 503 }),
  );
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

const ALLOWED = { analyticsProcessingAllowed: true, marketingAllowed: false };
const NOT_ALLOWED = { analyticsProcessingAllowed: false, marketingAllowed: false };

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("the web pixel", () => {
  it("subscribes to exactly the events the ingest takes, in batches it takes", () => {
    expect(sandbox({ privacy: ALLOWED }).subscribed().sort()).toEqual(
      [...PIXEL_EVENT_NAMES].sort(),
    );
    expect(BATCH_SIZE).toBeLessThanOrEqual(MAX_PIXEL_EVENTS);
  });

  it("sends nothing without analytics consent, then only what happens after it", async () => {
    const pixel = sandbox({ privacy: NOT_ALLOWED });
    pixel.publish("page_viewed");
    pixel.publish("product_viewed", { productVariant: { id: "11", product: { id: "7" } } });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS * 3);
    expect(pixel.beacons).toEqual([]);
    expect(pixel.storage.has(QUEUE_KEY)).toBe(false);
    // WHEN the visitor accepts on the page
    pixel.consent({ analyticsProcessingAllowed: true, marketingAllowed: true });
    pixel.publish("search_submitted", {
      searchResult: { query: "wool socks", productVariants: [] },
    });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    // THEN one batch with the new event alone, carrying both flags
    expect(pixel.beacons).toHaveLength(1);
    expect(pixel.beacons[0]?.url).toBe(SETTINGS.ingestUrl);
    expect(pixel.beacons[0]?.events).toEqual([
      {
        id: "sh-3",
        name: "search_submitted",
        at: "2026-12-03T10:00:00.000Z",
        clientId: "client-1",
        path: "/page/3",
        query: "wool socks",
        consent: { analytics: true, marketing: true },
      },
    ]);
  });

  it("waits a moment to batch a page's events, and sends a full batch at once", async () => {
    const pixel = sandbox({ privacy: ALLOWED, customerId: "42" });
    pixel.publish("page_viewed");
    pixel.publish("collection_viewed", { collection: { id: "99", title: "Socks" } });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS - 1);
    expect(pixel.beacons).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(pixel.sentNames()).toEqual(["page_viewed", "collection_viewed"]);
    expect(pixel.beacons[0]?.events[1]).toMatchObject({ collectionId: "99", customerId: "42" });
    for (let n = 0; n < BATCH_SIZE; n++) pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(0);
    expect(pixel.beacons.map((beacon) => beacon.events.length)).toEqual([2, BATCH_SIZE]);
  });

  it("sends a completed checkout with the customer its order names, a guest's too", async () => {
    // GIVEN a guest (no signed-in customer) and a signed-in shopper
    const guest = sandbox({ privacy: ALLOWED });
    const signedIn = sandbox({ privacy: ALLOWED, customerId: "42" });
    // WHEN each completes a checkout: the guest's order placed for customer 77
    guest.publish("checkout_completed", {
      checkout: { order: { id: "900", customer: { id: "gid://shopify/Customer/77" } } },
    });
    signedIn.publish("checkout_completed", { checkout: { order: null } });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    // THEN the guest's event carries the order's customer, the other the signed-in one
    expect(guest.beacons[0]?.events).toEqual([
      {
        id: "sh-1",
        name: "checkout_completed",
        at: "2026-12-03T10:00:00.000Z",
        clientId: "client-1",
        customerId: "gid://shopify/Customer/77",
        path: "/page/1",
        consent: { analytics: true, marketing: false },
      },
    ]);
    expect(signedIn.beacons[0]?.events[0]).toMatchObject({
      name: "checkout_completed",
      customerId: "42",
    });
  });

  it("falls back to fetch, and keeps a batch the app could not take for the next send", async () => {
    const fetch = failingFetch();
    const pixel = sandbox({ privacy: ALLOWED, beaconAccepts: false });
    pixel.publish("product_added_to_cart", {
      cartLine: { merchandise: { id: "5", product: { id: "6" } }, quantity: 1 },
    });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(fetch).toHaveBeenCalledWith(
      SETTINGS.ingestUrl,
      expect.objectContaining({ method: "POST", keepalive: true }),
    );
    // Kept, for this page's next send or the next page's pixel
    const kept = JSON.parse(pixel.storage.get(QUEUE_KEY) ?? "[]");
    expect(kept).toMatchObject([{ name: "product_added_to_cart", productId: "6", variantId: "5" }]);
    fetch.mockResolvedValue(new Response(null, { status: 204 }));
    pixel.publish("checkout_started", { checkout: {} });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    const body = JSON.parse(String(fetch.mock.calls.at(-1)?.[1]?.body));
    expect(body.events.map((event: { name: string }) => event.name)).toEqual([
      "product_added_to_cart",
      "checkout_started",
    ]);
    expect(pixel.storage.has(QUEUE_KEY)).toBe(false);
  });

  it("sends what the previous page left unsent, before this page's events", async () => {
    const left = [
      {
        id: "sh-old",
        name: "product_viewed",
        at: "2026-12-03T09:59:59.000Z",
        clientId: "client-1",
        consent: { analytics: true, marketing: false },
      },
    ];
    const pixel = sandbox({ privacy: ALLOWED, saved: JSON.stringify(left) });
    pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(pixel.beacons.flatMap((beacon) => beacon.events.map((event) => event.id))).toEqual([
      "sh-old",
      "sh-1",
    ]);
  });

  it("drops what it holds when the visitor withdraws consent, and what an earlier page left", async () => {
    const fetch = failingFetch();
    const pixel = sandbox({ privacy: ALLOWED, beaconAccepts: false });
    pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(pixel.storage.has(QUEUE_KEY)).toBe(true);
    pixel.consent(NOT_ALLOWED);
    pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS * 3);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(pixel.storage.has(QUEUE_KEY)).toBe(false);
    // A later page without consent finds nothing to send either.
    const next = sandbox({ privacy: NOT_ALLOWED, saved: '[{"id":"x"}]' });
    await vi.advanceTimersByTimeAsync(FLUSH_DELAY_MS);
    expect(next.storage.has(QUEUE_KEY)).toBe(false);
  });

  it("leaves the client id for the theme's blocks only while analytics is allowed", async () => {
    const pixel = sandbox({ privacy: NOT_ALLOWED });
    pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(0);
    expect(pixel.pageStorage.has(CLIENT_ID_KEY)).toBe(false);
    // WHEN the visitor accepts and views a page
    pixel.consent(ALLOWED);
    pixel.publish("page_viewed");
    await vi.advanceTimersByTimeAsync(0);
    // THEN the blocks can send the browser's id; withdrawing consent takes it away again
    expect(pixel.pageStorage.get(CLIENT_ID_KEY)).toBe("client-1");
    pixel.consent(NOT_ALLOWED);
    await vi.advanceTimersByTimeAsync(0);
    expect(pixel.pageStorage.has(CLIENT_ID_KEY)).toBe(false);
  });

  it("does nothing when the app has not given it its settings", () => {
    const listeners: string[] = [];
    startPixel({
      analytics: { subscribe: (name: string) => listeners.push(name) },
      settings: {},
    } as unknown as ExtensionApi);
    expect(listeners).toEqual([]);
  });
});
