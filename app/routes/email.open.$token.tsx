/**
 * /email/open/<token> — the 1x1 pixel in every customer email. Loading it records an open
 * (unreliable: privacy proxies load every image, blocked images hide real opens). The same
 * transparent GIF answers every request; a bad token records nothing.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { recordOpen } from "~/services/email/tracking/tracking-events.server";
import { verifyOpenToken } from "~/services/email/tracking/tracking-links.server";

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const message = verifyOpenToken(params.token);
  if (message) {
    try {
      await recordOpen(getDatabase().sql, message, new Date());
    } catch (error) {
      logger.warn({ shopId: message.shopId, err: error }, "email open not recorded");
    }
  }
  return new Response(PIXEL, {
    status: message ? 200 : 404,
    headers: {
      "Content-Type": "image/gif",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
};
