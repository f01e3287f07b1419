// Small DOM helpers shared by the storefront custom elements. Text always goes in through
// textContent, never innerHTML: product titles and offer texts are data, not markup.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Text for screen readers only (class defined in each block's stylesheet). */
export const hiddenText = (text: string): HTMLSpanElement => el("span", "rk-visually-hidden", text);

/** The shopper's locale: the theme sets `<html lang>` from `request.locale`. */
export function pageLocale(): string | undefined {
  return document.documentElement.lang || undefined;
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

export function isRtl(node: Element): boolean {
  return getComputedStyle(node).direction === "rtl";
}

/** Runs `callback` once `node` comes within `rootMargin` of the viewport (at once without IO). */
export function whenNear(
  node: Element,
  rootMargin: string,
  threshold: number,
  callback: () => void,
): IntersectionObserver | null {
  if (typeof IntersectionObserver !== "function") {
    callback();
    return null;
  }
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        callback();
      }
    },
    { rootMargin, threshold },
  );
  observer.observe(node);
  return observer;
}

export function define(name: string, constructor: CustomElementConstructor): void {
  if (typeof customElements !== "undefined" && !customElements.get(name)) {
    customElements.define(name, constructor);
  }
}
