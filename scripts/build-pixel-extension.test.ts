import { describe, expect, it } from "vitest";
import { buildPixelExtension, PIXEL_GZIP_BUDGET } from "./build-pixel-extension";

describe("the web pixel bundle", () => {
  it("stays under the issue's 5 KB gzip budget", async () => {
    const bundle = await buildPixelExtension();
    console.log(`rekindle-pixel bundle: ${bundle.bytes} B, ${bundle.gzipBytes} B gzip`);
    expect(bundle.gzipBytes).toBeLessThan(PIXEL_GZIP_BUDGET);
  });

  it("registers through the sandbox's shopify.extend and reads nothing of the page", async () => {
    const { code } = await buildPixelExtension();
    expect(code).toContain('"WebPixel::Render"');
    expect(code).toContain("shopify.extend(");
    // The strict sandbox is a worker: no DOM, window or storage of the page (only the event's
    // own `context.document` snapshot, read as a property).
    expect(code).not.toMatch(/(?<![.\w])(document|window|localStorage|sessionStorage|navigator)\b/);
  });
});
