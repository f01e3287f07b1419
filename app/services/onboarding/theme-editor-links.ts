/**
 * Where the merchant switches on the storefront pieces of the theme app extension
 * (extensions/rekindle-storefront): deep links into the theme editor of the published theme.
 * Shopify's format: `context=apps&activateAppId={api_key}/{handle}` opens the App embeds panel
 * with the embed switched on; `template=…&addAppBlockId={api_key}/{handle}&target=…` opens a
 * template with the block added. The merchant still saves in the editor.
 */

/** The win-back banner app embed (blocks/winback-banner.liquid, target body). */
export const APP_EMBED_HANDLE = "winback-banner";

/** The app blocks (blocks/<handle>.liquid), each on the template it is meant for. */
export const APP_BLOCKS = [
  { handle: "recommendations", template: "product", target: "mainSection" },
  { handle: "frequently-bought-together", template: "product", target: "mainSection" },
  { handle: "cart-recommendations", template: "cart", target: "newAppsSection" },
] as const;

export type AppBlockHandle = (typeof APP_BLOCKS)[number]["handle"];

export interface ThemeEditorLinks {
  embed: string;
  blocks: Array<{ handle: AppBlockHandle; url: string }>;
}

/**
 * The links for one shop. Written as Shopify documents them (`{api_key}/{handle}` with its
 * slash as is); the client id and the handles are URL-safe.
 */
export function themeEditorLinks(shopDomain: string, apiKey: string): ThemeEditorLinks {
  const editor = `https://${shopDomain}/admin/themes/current/editor`;
  return {
    embed: `${editor}?context=apps&activateAppId=${apiKey}/${APP_EMBED_HANDLE}`,
    blocks: APP_BLOCKS.map((block) => ({
      handle: block.handle,
      url: `${editor}?template=${block.template}&addAppBlockId=${apiKey}/${block.handle}&target=${block.target}`,
    })),
  };
}
