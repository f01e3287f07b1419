import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PROXY_URL, getJson, proxyBase, sendEvent } from "./proxy";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("proxyBase", () => {
  it("accepts same-origin paths only", () => {
    expect(proxyBase("/apps/rekindle")).toBe("/apps/rekindle");
    expect(proxyBase("/apps/rekindle/")).toBe("/apps/rekindle");
    expect(proxyBase("https://evil.example/apps")).toBe(DEFAULT_PROXY_URL);
    expect(proxyBase("//evil.example")).toBe(DEFAULT_PROXY_URL);
    expect(proxyBase(undefined)).toBe(DEFAULT_PROXY_URL);
  });
});

describe("sendEvent", () => {
  const event = {
    type: "click",
    block: "recommendations",
    requestId: "r1",
    productId: "123",
    context: "product",
  } as const;

  it("sends the event as a JSON beacon to /apps/rekindle/events", () => {
    const sendBeacon = vi.fn(() => true);
    const fetchSpy = vi.fn();
    vi.stubGlobal("navigator", { sendBeacon });
    vi.stubGlobal("fetch", fetchSpy);
    sendEvent("/apps/rekindle", event);
    expect(sendBeacon).toHaveBeenCalledWith("/apps/rekindle/events", JSON.stringify(event));
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("falls back to a keepalive POST when the beacon is refused or missing", () => {
    const fetchSpy = vi.fn(() => Promise.resolve(new Response(null, { status: 204 })));
    vi.stubGlobal("navigator", { sendBeacon: () => false });
    vi.stubGlobal("fetch", fetchSpy);
    sendEvent("/apps/rekindle", event);
    vi.stubGlobal("navigator", {});
    sendEvent("/apps/rekindle", event);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(fetchSpy).toHaveBeenCalledWith(
      "/apps/rekindle/events",
      expect.objectContaining({ method: "POST", keepalive: true, body: JSON.stringify(event) }),
    );
  });

  it("never throws", () => {
    vi.stubGlobal("navigator", {
      sendBeacon: () => {
        throw new Error("blocked");
      },
    });
    vi.stubGlobal("fetch", () => Promise.reject(new Error("offline")));
    expect(() => sendEvent("/apps/rekindle", event)).not.toThrow();
  });
});

describe("getJson", () => {
  it("returns the parsed body of a 2xx answer, same-origin credentials", async () => {
    const fetchSpy = vi.fn(() => Promise.resolve(Response.json({ offer: null })));
    vi.stubGlobal("fetch", fetchSpy);
    await expect(getJson("/apps/rekindle/offer")).resolves.toEqual({ offer: null });
    expect(fetchSpy).toHaveBeenCalledWith(
      "/apps/rekindle/offer",
      expect.objectContaining({ credentials: "same-origin" }),
    );
  });

  it("rejects on error statuses", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(new Response("no", { status: 500 })));
    await expect(getJson("/apps/rekindle/offer")).rejects.toThrow(/500/);
  });
});
