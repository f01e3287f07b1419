import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "~/i18n/message";

/** What an action answers: success or not, with a sentence for the merchant. */
export interface ActionAnswer {
  ok: boolean;
  message?: Message;
}

/**
 * A toast in Shopify admin for each successful answer that carries a sentence (saved, started,
 * run requested…). Failures stay on the page, next to what needs fixing.
 */
export function useResultToast(answer: ActionAnswer | undefined) {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  useEffect(() => {
    if (answer?.ok && answer.message) {
      shopify.toast.show(t(answer.message.key, answer.message.values));
    }
  }, [answer, shopify, t]);
}
