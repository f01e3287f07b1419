// The pixel's entry, bundled by the Shopify CLI (and scripts/build-pixel-extension.ts offline).
// `register` comes from @shopify/web-pixels-extension: a types-and-registration package with no
// dependencies (its `register` hands our function to the sandbox's `shopify.extend`), so the
// bundle carries a few bytes of it and works offline. The rest is ours.
import { register } from "@shopify/web-pixels-extension";
import { startPixel } from "./pixel";

register(startPixel);
