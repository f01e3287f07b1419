// The buying controls a recommended product gets in every block: a variant picker when the
// product has more than one variant, and the variant it would add. Card buttons
// (`button[data-rk-add]`) are handled by assets/card-cart.js for every block on the page; a
// successful add fires ADDED_EVENT (bubbling, detail: the product id) for the block to record.

export const ADDED_EVENT = "rekindle:added";

import type { RecommendedProduct } from "./data";
import { el } from "./dom";

/** A `<select data-rk-variant>` of the product's variants (sold-out ones disabled), or null. */
export function variantPicker(
  product: RecommendedProduct,
  label: string,
): HTMLSelectElement | null {
  if (product.variants.length < 2) return null;
  const select = el("select", "rk-variant");
  select.setAttribute("data-rk-variant", "");
  select.setAttribute("aria-label", `${label}: ${product.title}`);
  for (const variant of product.variants) {
    const option = el("option", "", variant.title);
    option.value = variant.id;
    option.disabled = !variant.available;
    option.selected = variant.id === product.variantId;
    select.append(option);
  }
  return select;
}

/** The variant chosen inside `scope`: the picker's value, else the product's own variant. */
export function chosenVariant(scope: Element, fallback: string | undefined): string | undefined {
  return scope.querySelector<HTMLSelectElement>("select[data-rk-variant]")?.value || fallback;
}
