// Add-to-cart for the product cards of every Rekindle block: one delegated click listener for
// `button[data-rk-add]` (rendered by the blocks' scripts with `data-variant-id`, next to an
// optional `select[data-rk-variant]`). It adds through the Cart AJAX API, shows the outcome in
// the button (texts from the block's `data-i18n-added` / `data-i18n-add-failed`) and fires
// ADDED_EVENT for the block to record. A separate asset so each block script stays within
// Theme Check's size limit. Compiled to assets/card-cart.js.

import { ADDED_EVENT, chosenVariant } from "./lib/buy";
import { addToCart } from "./lib/cart";

async function add(button: HTMLButtonElement): Promise<void> {
  const variantId = chosenVariant(button.parentElement ?? button, button.dataset.variantId);
  const texts = button.closest<HTMLElement>("[data-i18n-added]")?.dataset ?? {};
  if (!variantId || button.getAttribute("aria-busy")) return;
  button.setAttribute("aria-busy", "true");
  try {
    await addToCart([variantId]);
    button.textContent = texts.i18nAdded ?? "";
    button.dispatchEvent(
      new CustomEvent(ADDED_EVENT, { bubbles: true, detail: button.dataset.rkAdd }),
    );
  } catch {
    button.textContent = texts.i18nAddFailed ?? "";
  }
  button.removeAttribute("aria-busy");
}

if (!(window as { rekindleCardCart?: boolean }).rekindleCardCart) {
  (window as { rekindleCardCart?: boolean }).rekindleCardCart = true;
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest<HTMLButtonElement>("button[data-rk-add]");
    if (button) void add(button);
  });
}
