import type { NextFunction, Request, Response } from "express";
import { APP_BRIDGE_CDN_URL } from "./app-bridge-stand-in";

/**
 * Runs in front of the app when it is embedded in the simulated admin (demo, browser tests):
 * the App Bridge script comes from the store instead of Shopify's CDN (offline), and the
 * store's origin is added to the `frame-ancestors` the library sets, so the admin frame may
 * embed the app. The app's own code and the Shopify libraries are unchanged.
 */
export function embedInDevStore(storeOrigin: string) {
  return (_request: Request, response: Response, next: NextFunction) => {
    const setHeader = response.setHeader.bind(response);
    response.setHeader = (name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === "content-security-policy" && typeof value === "string") {
        return setHeader(name, value.replace("frame-ancestors", `frame-ancestors ${storeOrigin}`));
      }
      if (name.toLowerCase() === "link" && typeof value === "string") {
        return setHeader(
          name,
          value.replaceAll(APP_BRIDGE_CDN_URL, `${storeOrigin}/app-bridge.js`),
        );
      }
      return setHeader(name, value);
    };
    const write = response.write.bind(response);
    const end = response.end.bind(response);
    const chunks: Buffer[] = [];
    const isHtml = () => String(response.getHeader("content-type") ?? "").includes("text/html");
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (!isHtml()) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      chunks.push(Buffer.from(chunk as string));
      return true;
    }) as Response["write"];
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (!isHtml()) return (end as (...args: unknown[]) => Response)(chunk, ...rest);
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.from(chunk as string));
      const html = Buffer.concat(chunks)
        .toString("utf8")
        .replaceAll(APP_BRIDGE_CDN_URL, `${storeOrigin}/app-bridge.js`);
      response.removeHeader("content-length");
      return end(html);
    }) as Response["end"];
    next();
  };
}
