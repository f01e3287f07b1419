// <rekindle-winback-banner>: the win-back offer app embed, rendered by Liquid only for a
// logged-in customer (extensions/rekindle-storefront/blocks/winback-banner.liquid).
//
// The offer comes from `data-offer` (the app-owned `$app:rekindle.winback_offer` customer
// metafield, when Liquid could read it) or else from GET /apps/rekindle/offer, fetched when the
// browser is idle. The banner is a fixed overlay, so showing it never moves page content. It is
// filled from a Liquid <template> (all strings come from the locales), offers copy-to-clipboard
// and a dismissal remembered per offer id in localStorage.
// Compiled to assets/winback-banner.js by scripts/build-theme-assets.ts.

import {
  dismissalKey,
  fillDate,
  formatDate,
  parseOffer,
  readJson,
  type WinbackOffer,
} from "./lib/data";
import { define, pageLocale } from "./lib/dom";
import { getJson, proxyBase, sendEvent, type StorefrontEvent } from "./lib/proxy";

const STATUS_MS = 4000;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // Blocked storage (privacy settings, sandboxed frames).
  }
}

function isDismissed(offerId: string): boolean {
  const store = storage();
  try {
    return store !== null && store.getItem(dismissalKey(offerId)) !== null;
  } catch {
    return false;
  }
}

function rememberDismissal(offerId: string): void {
  try {
    storage()?.setItem(dismissalKey(offerId), new Date().toISOString());
  } catch {
    // Quota or privacy mode: the banner still closes for this page view.
  }
}

/** execCommand fallback for browsers or contexts without the async Clipboard API. */
function legacyCopy(text: string): boolean {
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  document.body.append(field);
  field.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  field.remove();
  return copied;
}

class RekindleWinbackBanner extends HTMLElement {
  // `declare`: plain expando properties, no class-field code in the bundle.
  declare rkOffer?: WinbackOffer;
  declare rkStarted?: boolean;
  declare rkStatusTimer?: number;

  connectedCallback(): void {
    this.addEventListener("click", this);
    if (this.rkStarted) return;
    this.rkStarted = true;
    // Not needed for first paint: wait for an idle moment so it never competes with the LCP.
    const start = () => void this.init();
    if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 3000 });
    else setTimeout(start, 200);
  }

  disconnectedCallback(): void {
    this.removeEventListener("click", this);
    clearTimeout(this.rkStatusTimer);
  }

  handleEvent(event: Event): void {
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest("[data-rk-copy]")) void this.copy();
    else if (target?.closest("[data-rk-dismiss]")) this.dismiss();
  }

  private isPreview(): boolean {
    return this.dataset.preview === "true";
  }

  private track(type: StorefrontEvent["type"]): void {
    if (!this.rkOffer || this.isPreview()) return;
    sendEvent(proxyBase(this.dataset.proxyUrl), {
      type,
      block: "winback_banner",
      offerId: this.rkOffer.id,
      context: this.dataset.context || undefined,
    });
  }

  private async init(): Promise<void> {
    const now = Date.now();
    let offer = parseOffer(readJson(this.dataset.offer), now);
    if (this.isPreview()) {
      // Theme editor: a sample offer so merchants see position and colours; nothing recorded.
      offer = parseOffer(
        {
          id: "preview",
          code: "REKINDLE-PREVIEW",
          title: this.dataset.i18nPreviewTitle,
          expiresAt: new Date(now + 14 * 86_400_000).toISOString(),
        },
        now,
      );
    } else if (!offer) {
      try {
        const data = await getJson(`${proxyBase(this.dataset.proxyUrl)}/offer`);
        offer = parseOffer(
          typeof data === "object" && data ? (data as { offer?: unknown }).offer : null,
          now,
        );
      } catch {
        offer = null;
      }
    }
    if (!offer || (!this.isPreview() && isDismissed(offer.id))) {
      this.hidden = true;
      return;
    }
    this.show(offer);
  }

  private show(offer: WinbackOffer): void {
    const template = this.querySelector<HTMLTemplateElement>("template[data-rk-template]");
    const region = this.querySelector<HTMLElement>("[data-rk-region]");
    if (!template || !region) return;
    this.rkOffer = offer;
    const content = template.content.cloneNode(true) as DocumentFragment;
    const fill = (selector: string, text: string) => {
      const node = content.querySelector(selector);
      if (!node) return;
      if (text) node.textContent = text;
      else node.remove();
    };
    // The title is the merchant's words ("We miss you"); the line under it says what the code
    // gives. Without a title, the discount text takes its place.
    fill("[data-rk-title]", offer.title || offer.discountText);
    fill("[data-rk-offer]", offer.title ? offer.discountText : "");
    fill("[data-rk-code]", offer.code);
    fill(
      "[data-rk-expiry]",
      offer.expiresAt
        ? fillDate(this.dataset.i18nExpires ?? "", formatDate(offer.expiresAt, pageLocale()))
        : "",
    );
    // The live region is made visible empty first and filled on the next frame, so assistive
    // technology announces the offer (polite) instead of ignoring content that was there already.
    this.hidden = false;
    this.setAttribute("data-offer-id", offer.id);
    requestAnimationFrame(() => {
      region.replaceChildren(content);
      this.setAttribute("data-state", "shown");
      this.track("offer_view");
    });
  }

  private status(message: string): void {
    const node = this.querySelector<HTMLElement>("[data-rk-status]");
    if (!node) return;
    node.textContent = message;
    clearTimeout(this.rkStatusTimer);
    this.rkStatusTimer = window.setTimeout(() => {
      node.textContent = "";
    }, STATUS_MS);
  }

  private async copy(): Promise<void> {
    const code = this.rkOffer?.code;
    if (!code) return;
    let copied = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(code);
        copied = true;
      }
    } catch {
      copied = false;
    }
    if (!copied) copied = legacyCopy(code);
    if (copied) {
      this.status(this.dataset.i18nCopied ?? "");
      this.track("offer_copy");
      return;
    }
    // Both ways refused: select the code so the shopper can copy it by hand.
    const codeNode = this.querySelector("[data-rk-code]");
    const selection = window.getSelection();
    if (codeNode && selection) selection.selectAllChildren(codeNode);
    this.status(this.dataset.i18nCopyFailed ?? "");
  }

  private dismiss(): void {
    if (!this.rkOffer) return;
    if (!this.isPreview()) rememberDismissal(this.rkOffer.id);
    this.track("offer_dismiss");
    this.hidden = true;
    this.setAttribute("data-state", "dismissed");
    this.querySelector("[data-rk-region]")?.replaceChildren();
  }
}

define("rekindle-winback-banner", RekindleWinbackBanner);
