/**
 * Flow effects for tests that play the step worker: emails are recorded instead of sent (each
 * answered with its own Message-ID), tags and Shopify Flow do nothing.
 */
import type { CustomerEmail } from "~/services/email/send-customer-email.server";
import type { FlowEffects } from "~/services/flows/flow-steps.server";

export function recordingFlowEffects(): { sent: CustomerEmail[]; effects: FlowEffects } {
  const sent: CustomerEmail[] = [];
  const effects: FlowEffects = {
    sendEmail: async (email) => {
      sent.push(email);
      return { messageId: email.messageId };
    },
    changeTags: async () => undefined,
    emitShopifyFlow: async () => undefined,
  };
  return { sent, effects };
}
