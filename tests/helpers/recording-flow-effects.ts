/**
 * Flow effects for tests that play the step worker: emails are recorded instead of sent (each
 * answered with its own Message-ID), tags and Shopify Flow do nothing, and discount codes are
 * created on `transport` (the simulated store's Admin API) when a test gives one.
 */
import type { CustomerEmail } from "~/services/email/send-customer-email.server";
import type { FlowEffects } from "~/services/flows/flow-steps.server";
import type {
  AdminGraphqlOptions,
  AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { createCustomerDiscount } from "~/services/winback/shopify-actions.server";

export function recordingFlowEffects(admin?: {
  transport: AdminGraphqlTransport;
  options?: AdminGraphqlOptions;
}): { sent: CustomerEmail[]; effects: FlowEffects } {
  const sent: CustomerEmail[] = [];
  const effects: FlowEffects = {
    sendEmail: async (email) => {
      sent.push(email);
      return { messageId: email.messageId };
    },
    changeTags: async () => undefined,
    emitShopifyFlow: async () => undefined,
    createDiscount: async (request) => {
      if (!admin) throw new Error("this test's flows give no discount");
      return createCustomerDiscount(admin, request);
    },
  };
  return { sent, effects };
}
