import type { ExtensionApi } from "@shopify/web-pixels-extension";
import {
  shopperEvent,
  TRACKED_EVENTS,
  type ShopperEvent,
  type TrackedEvent,
} from "./shopper-event";

/** How long an event waits for others (a page view brings two or three) to share its request. */
export const FLUSH_DELAY_MS = 1000;
/** Events a request: under the ingest's 100, and far below sendBeacon's 64 KB at ~300 B each. */
export const BATCH_SIZE = 50;
/** Unsent events kept at most (a shopper whose requests keep failing); the oldest go first. */
const MAX_QUEUED = 500;
/**
 * Where unsent events wait. The strict sandbox is a web worker: it hears nothing of the page
 * being hidden or left, so what is still queued then is sent by the pixel of the shopper's next
 * page (the same tab's session storage, through the sandbox's `browser`). The ingest drops
 * an event id it already has, so a batch sent twice is stored once.
 */
export const QUEUE_KEY = "rekindle_pixel_queue";

interface Settings {
  ingestUrl?: string;
  shop?: string;
  shopKey?: string;
}

/**
 * Sends the tracked events to the app in batches, and nothing while the visitor does not allow
 * analytics where consent is required (`analyticsProcessingAllowed` is true where it is not).
 * Events from before consent are dropped, not held: nothing in Shopify's pixel privacy rules
 * lets them be collected afterwards. Each event carries both consent flags as they were then.
 */
export function startPixel({
  analytics,
  browser,
  init,
  settings,
  customerPrivacy,
}: ExtensionApi): void {
  const { ingestUrl, shop, shopKey } = settings as Settings;
  if (!ingestUrl || !shop || !shopKey) return;
  let privacy = init.customerPrivacy;
  const customerId = init.data.customer?.id ?? undefined;
  let queue: ShopperEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  const storage = browser.sessionStorage;

  const save = () =>
    (queue.length > 0
      ? storage.setItem(QUEUE_KEY, JSON.stringify(queue))
      : storage.removeItem(QUEUE_KEY)
    ).catch(() => undefined);

  async function send(body: string): Promise<boolean> {
    try {
      if (await browser.sendBeacon(ingestUrl as string, body)) return true;
    } catch {
      // The browser would not queue it: try fetch below.
    }
    try {
      // A string body goes as text/plain: a simple request, no CORS preflight.
      const response = await fetch(ingestUrl as string, { method: "POST", body, keepalive: true });
      return response.status !== 429 && response.status < 500;
    } catch {
      return false;
    }
  }

  async function flush() {
    timer = undefined;
    if (sending) return;
    sending = true;
    while (queue.length > 0 && privacy.analyticsProcessingAllowed) {
      const batch = queue.slice(0, BATCH_SIZE);
      if (!(await send(JSON.stringify({ v: 1, shop, key: shopKey, events: batch })))) break;
      // Events queued while it was being sent stay.
      queue = queue.filter((event) => !batch.includes(event));
    }
    sending = false;
    await save();
  }

  const schedule = () => {
    if (queue.length >= BATCH_SIZE) void flush();
    else timer ??= setTimeout(() => void flush(), FLUSH_DELAY_MS);
  };

  customerPrivacy.subscribe("visitorConsentCollected", (event) => {
    privacy = event.customerPrivacy;
    if (!privacy.analyticsProcessingAllowed) {
      queue = [];
      void save();
    }
  });

  if (privacy.analyticsProcessingAllowed) {
    void storage
      .getItem(QUEUE_KEY)
      .then((saved) => {
        const earlier = saved ? (JSON.parse(saved) as ShopperEvent[]) : [];
        if (earlier.length === 0) return;
        // Events of this page were saved meanwhile without them: save all again.
        queue = [...earlier, ...queue];
        void save();
        schedule();
      })
      .catch(() => undefined);
  } else {
    void save();
  }

  for (const name of TRACKED_EVENTS) {
    analytics.subscribe(name, (event) => {
      if (!privacy.analyticsProcessingAllowed) return;
      queue.push(
        shopperEvent(event as TrackedEvent, customerId, {
          analytics: true,
          marketing: privacy.marketingAllowed,
        }),
      );
      if (queue.length > MAX_QUEUED) queue.splice(0, queue.length - MAX_QUEUED);
      void save();
      schedule();
    });
  }
}
