/**
 * Signed unsubscribe links: `${SHOPIFY_APP_URL}/email/unsubscribe?token=<token>`, the token
 * naming the shop and the customer (signed-token.server.ts: a key of its own, no expiry).
 */
import { z } from "zod";
import { appBaseUrl, tokenSigner } from "./signed-token.server";

export interface UnsubscribeTarget {
  shopDomain: string;
  customerId: bigint;
}

const payloadSchema = z.object({
  s: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-z0-9][a-z0-9.-]*$/i),
  c: z.string().regex(/^\d{1,20}$/),
});

const signer = tokenSigner("email-unsubscribe-link", 600);

export function unsubscribeToken(shopDomain: string, customerId: bigint | string): string {
  return signer.sign({ s: shopDomain, c: customerId.toString() });
}

/** The link for a customer's emails (the body's `{{unsubscribe_url}}` and List-Unsubscribe). */
export function unsubscribeUrl(shopDomain: string, customerId: bigint | string): string {
  return `${appBaseUrl()}/email/unsubscribe?token=${unsubscribeToken(shopDomain, customerId)}`;
}

/** Who a token names, or null for anything malformed, truncated or tampered with. */
export function verifyUnsubscribeToken(token: string | null | undefined): UnsubscribeTarget | null {
  const parsed = payloadSchema.safeParse(signer.verify(token));
  if (!parsed.success) return null;
  return { shopDomain: parsed.data.s, customerId: BigInt(parsed.data.c) };
}
