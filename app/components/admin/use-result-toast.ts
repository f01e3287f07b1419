import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "~/i18n/message";

/** What an action answers: success or not, perhaps with a sentence for the merchant. */
export interface ActionAnswer {
  ok: boolean;
  message?: Message;
}

/**
 * A toast in Shopify admin for each successful answer (saved, started, run requested…): the
 * answer's own sentence, else `otherwise`. Failures stay on the page, next to what needs fixing.
 */
export function useResultToast(answer: ActionAnswer | undefined, otherwise?: Message) {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  // Read when an answer arrives; a new object each render must not show the toast again.
  const fallback = useRef(otherwise);
  fallback.current = otherwise;
  useEffect(() => {
    const sentence = answer?.ok ? (answer.message ?? fallback.current) : undefined;
    if (sentence) shopify.toast.show(t(sentence.key, sentence.values));
  }, [answer, shopify, t]);
}
