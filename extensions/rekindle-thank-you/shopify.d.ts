import "@shopify/ui-extensions";

// The `shopify` global of this extension's target (generated the same way by `shopify app dev`).
//@ts-ignore
declare module "./src/ThankYou.tsx" {
  const shopify: import("@shopify/ui-extensions/purchase.thank-you.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
