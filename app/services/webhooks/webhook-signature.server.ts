import "@shopify/shopify-api/adapters/web-api";
import { LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { ADMIN_API_VERSION } from "~/lib/constants";
import { getEnv } from "~/lib/env.server";

let api: ReturnType<typeof shopifyApi> | undefined;

/**
 * The Shopify library's webhook validation (HMAC of the raw body with the app secret, required
 * headers), on its own. `authenticate.webhook` does the same and then loads the shop's offline
 * session from storage for an Admin client; the ingest route needs no client, and skipping
 * that database read per delivery is what keeps acknowledgements fast.
 */
function library() {
  if (!api) {
    const env = getEnv();
    api = shopifyApi({
      apiKey: env.SHOPIFY_API_KEY,
      apiSecretKey: env.SHOPIFY_API_SECRET,
      apiVersion: ADMIN_API_VERSION,
      hostName: new URL(env.SHOPIFY_APP_URL).host,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: () => {} },
    });
  }
  return api;
}

export type WebhookCheck = { valid: true; shop: string } | { valid: false; status: 400 | 401 };

export async function checkWebhookSignature(
  request: Request,
  rawBody: string,
): Promise<WebhookCheck> {
  const check = await library().webhooks.validate({ rawBody, rawRequest: request });
  if (check.valid) return { valid: true, shop: check.domain };
  return {
    valid: false,
    status: check.reason === WebhookValidationErrorReason.InvalidHmac ? 401 : 400,
  };
}
