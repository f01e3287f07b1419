import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../tests/helpers/shared-data";
import { APP_BLOCKS, APP_EMBED_HANDLE, themeEditorLinks } from "./theme-editor-links";

/** The `{% schema %}` of extensions/rekindle-storefront/blocks/<handle>.liquid. */
function blockSchema(handle: string): { target: string; templates?: string[] } {
  const liquid = readFileSync(
    path.join(REPO_ROOT, "extensions/rekindle-storefront/blocks", `${handle}.liquid`),
    "utf8",
  );
  const json = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(liquid)?.[1];
  return JSON.parse(json ?? "null");
}

describe("theme editor deep links", () => {
  const links = themeEditorLinks("shop-one.myshopify.com", "client-id-123");

  it("switches the app embed on in the App embeds panel of the published theme", () => {
    expect(links.embed).toBe(
      "https://shop-one.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=client-id-123/winback-banner",
    );
    const url = new URL(links.embed);
    expect(url.origin + url.pathname).toBe(
      "https://shop-one.myshopify.com/admin/themes/current/editor",
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      context: "apps",
      activateAppId: "client-id-123/winback-banner",
    });
  });

  it("adds each app block to a template it is made for", () => {
    expect(
      links.blocks.map((block) => Object.fromEntries(new URL(block.url).searchParams)),
    ).toEqual([
      {
        template: "product",
        addAppBlockId: "client-id-123/recommendations",
        target: "mainSection",
      },
      {
        template: "product",
        addAppBlockId: "client-id-123/frequently-bought-together",
        target: "mainSection",
      },
      {
        template: "cart",
        addAppBlockId: "client-id-123/cart-recommendations",
        target: "newAppsSection",
      },
    ]);
  });

  it("names the extension's real blocks: the embed targets the body, each block its template", () => {
    expect(blockSchema(APP_EMBED_HANDLE).target).toBe("body");
    for (const block of APP_BLOCKS) {
      const schema = blockSchema(block.handle);
      expect(schema.target, block.handle).toBe("section");
      expect(schema.templates, block.handle).toContain(block.template);
    }
  });
});
