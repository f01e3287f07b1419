// The strict sandbox stand-in: a web worker that gives the app's pixel bundle Shopify's
// extension API (`shopify.extend("WebPixel::Render", …)`, what `register` calls) and nothing of
// the page. Events, consent changes and answers to its `browser` calls arrive as messages
// from manager.ts; `browser.sendBeacon` and session storage run in the top frame, as Shopify's.
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  importScripts(...urls: string[]): void;
  shopify?: { extend(target: string, extend: (api: unknown) => void): void };
}

type Listener = (event: unknown) => void;

const scope = self as unknown as WorkerScope;
const listeners = new Map<string, Listener[]>();
const consentListeners: Listener[] = [];
const pending = new Map<number, (value: unknown) => void>();
let nextCall = 0;

const listenersOf = (name: string) => {
  const list = listeners.get(name) ?? [];
  listeners.set(name, list);
  return list;
};

/** A `browser` call: run by the page, answered with a message. */
const call = (request: Record<string, unknown>) =>
  new Promise<unknown>((resolve) => {
    nextCall += 1;
    pending.set(nextCall, resolve);
    scope.postMessage({ ...request, id: nextCall });
  });

const storage = {
  getItem: (key: string) => call({ type: "storage", op: "getItem", key }),
  setItem: (key: string, value: string) => call({ type: "storage", op: "setItem", key, value }),
  removeItem: (key: string) => call({ type: "storage", op: "removeItem", key }),
};

function start(message: { bundleUrl: string; settings: unknown; init: unknown }) {
  const api = {
    analytics: {
      subscribe(name: string, listener: Listener) {
        listenersOf(name).push(listener);
        return () => true;
      },
    },
    browser: {
      sendBeacon: (url: string, body: string) => call({ type: "beacon", url, body }),
      sessionStorage: storage,
    },
    customerPrivacy: {
      subscribe(name: string, listener: Listener) {
        if (name === "visitorConsentCollected") consentListeners.push(listener);
        return () => true;
      },
    },
    init: message.init,
    settings: message.settings,
    _pixelInfo: {},
  };
  scope.shopify = {
    extend(target, extend) {
      if (target === "WebPixel::Render") extend(api);
    },
  };
  scope.importScripts(message.bundleUrl);
}

scope.addEventListener("message", ({ data }) => {
  const message = data as { type: string; [key: string]: unknown };
  if (message.type === "init") start(message as never);
  else if (message.type === "event") {
    const event = message.event as { name: string };
    for (const listener of listenersOf(event.name)) listener(event);
  } else if (message.type === "consent") {
    for (const listener of consentListeners) listener({ customerPrivacy: message.customerPrivacy });
  } else if (message.type === "reply") {
    pending.get(message.id as number)?.(message.value);
    pending.delete(message.id as number);
  }
});
