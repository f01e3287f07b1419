// One extension entry bundled as the Shopify CLI bundles it (esbuild, minified, for browsers),
// with its size as Shopify measures it: what the thank-you and pixel build scripts share.
import { build, type BuildOptions } from "esbuild";
import { gzipSync } from "node:zlib";

export interface ExtensionBundle {
  code: string;
  bytes: number;
  gzipBytes: number;
}

export async function bundleExtension(
  entry: string,
  workingDir: string,
  options: Pick<BuildOptions, "format" | "jsx" | "jsxImportSource" | "legalComments">,
): Promise<ExtensionBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "browser",
    target: ["es2020"],
    write: false,
    logLevel: "silent",
    absWorkingDir: workingDir,
    ...options,
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no bundle");
  return {
    code: output.text,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents, { level: 9 }).length,
  };
}
