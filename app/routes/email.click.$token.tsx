/**
 * /email/click/<token> — every link in a customer email. Public (customers have no Shopify
 * session): the token is signed, holds the link the email showed, and is checked without the
 * database; a person's click is recorded and the browser goes on to that link with UTM tags.
 * A tampered or malformed token gets a 404 page: this is never an open redirect.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { recordClick } from "~/services/email/tracking/tracking-events.server";
import {
  clickDestination,
  verifyClickToken,
} from "~/services/email/tracking/tracking-links.server";

// The token sits in the URL: keep it out of caches, search engines and Referer headers.
const PRIVATE_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex",
};

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
  '<title>Link not found</title></head><body style="font-family:sans-serif;max-width:32rem;margin:10vh auto">' +
  "<h1>This link doesn&#39;t work</h1><p>The link is incomplete or has been changed. Open it again " +
  "from the email, or copy the whole link into your browser.</p></body></html>";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const click = verifyClickToken(params.token);
  const destination = click && clickDestination(click);
  if (!click || !destination) {
    return new Response(NOT_FOUND_PAGE, {
      status: 404,
      headers: { ...PRIVATE_HEADERS, "Content-Type": "text/html; charset=utf-8" },
    });
  }
  try {
    await recordClick(getDatabase().sql, click, request.headers.get("user-agent"), new Date());
  } catch (error) {
    // The customer still gets where they were going; only the count misses this click.
    logger.warn({ shopId: click.shopId, err: error }, "email click not recorded");
  }
  return redirect(destination, { status: 302, headers: PRIVATE_HEADERS });
};
