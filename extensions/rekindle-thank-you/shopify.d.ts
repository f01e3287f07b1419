import "@shopify/ui-extensions";

// The `shopify` global of this extension's target (generated the same way by `shopify app dev`).
// The module exists only when the extension is built on its own; the CLI writes the same directive.
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
//@ts-ignore
declare module "./src/ThankYou.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
