/**
 * Tracked links in customer emails. Every link a customer can follow becomes
 * `/email/click/<token>` and every email carries the pixel `/email/open/<token>`; the tokens
 * are signed (signed-token.server.ts), so checking one needs no database, and a click token
 * holds the link it was made for: the redirect can only go where the email pointed (the shop's
 * storefront), never to an address someone put into a URL.
 */
import { z } from "zod";
import { appBaseUrl, tokenSigner } from "../signed-token.server";

/** The email a link belongs to, and how it is named in the UTM tags. */
export interface TrackedMessage {
  shopId: number;
  /** email_message.id */
  messageId: bigint;
  /** utm_campaign: the flow's or rule's handle. */
  campaign: string;
  /** utm_content: the step and variant. */
  content: string;
}

export interface TrackedClick extends TrackedMessage {
  url: string;
}

const clickSigner = tokenSigner("email-click-link", 2_000);
const openSigner = tokenSigner("email-open-pixel", 200);

const id = z.string().regex(/^\d{1,20}$/);
const label = z.string().max(120);
const openPayload = z.object({ s: z.number().int().positive(), m: id });
const clickPayload = openPayload.extend({ u: z.string().max(1_500), c: label, t: label });

/** A name as a UTM value: lower case, words joined by hyphens ("Welcome series" → welcome-series). */
export function utmHandle(name: string): string {
  const handle = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return handle || "email";
}

const isWebUrl = (url: URL) =>
  (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;

export function clickUrl(message: TrackedMessage, url: string): string {
  const token = clickSigner.sign({
    s: message.shopId,
    m: message.messageId.toString(),
    u: url,
    c: message.campaign,
    t: message.content,
  });
  return `${appBaseUrl()}/email/click/${token}`;
}

export function openPixelUrl(message: Pick<TrackedMessage, "shopId" | "messageId">): string {
  return `${appBaseUrl()}/email/open/${openSigner.sign({ s: message.shopId, m: message.messageId.toString() })}`;
}

/** The 1x1 open pixel, placed at the end of the email's body. */
export function withOpenPixel(html: string, pixelUrl: string): string {
  const img = `<img src="${pixelUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  return html.includes("</body>") ? html.replace("</body>", `${img}</body>`) : html + img;
}

/** What a click token names, or null for a malformed or tampered one. */
export function verifyClickToken(token: string | undefined): TrackedClick | null {
  const parsed = clickPayload.safeParse(clickSigner.verify(token));
  if (!parsed.success) return null;
  const { s, m, u, c, t } = parsed.data;
  return { shopId: s, messageId: BigInt(m), url: u, campaign: c, content: t };
}

export function verifyOpenToken(
  token: string | undefined,
): Pick<TrackedMessage, "shopId" | "messageId"> | null {
  const parsed = openPayload.safeParse(openSigner.verify(token));
  if (!parsed.success) return null;
  return { shopId: parsed.data.s, messageId: BigInt(parsed.data.m) };
}

/**
 * Where a click goes: the email's link with the UTM tags, or null when the signed link is not
 * a plain web address (nothing else is ever redirected to).
 */
export function clickDestination(click: TrackedClick): string | null {
  let url: URL;
  try {
    url = new URL(click.url);
  } catch {
    return null;
  }
  if (!isWebUrl(url)) return null;
  url.searchParams.set("utm_source", "rekindle");
  url.searchParams.set("utm_medium", "email");
  url.searchParams.set("utm_campaign", click.campaign);
  url.searchParams.set("utm_content", click.content);
  return url.toString();
}
