import { useAppBridge } from "@shopify/app-bridge-react";
import { useSearchParams } from "@remix-run/react";
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
 * answer's own sentence, else `otherwise`. Failures stay on the page, next to what needs fixing,
 * unless `failures` is "toast": for actions whose page has no field to show them by.
 */
export function useResultToast(
  answer: ActionAnswer | undefined,
  otherwise?: Message,
  failures: "page" | "toast" = "page",
) {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  // Read when an answer arrives; a new object each render must not show the toast again.
  const fallback = useRef(otherwise);
  fallback.current = otherwise;
  useEffect(() => {
    if (!answer) return;
    if (answer.ok) {
      const sentence = answer.message ?? fallback.current;
      if (sentence) shopify.toast.show(t(sentence.key, sentence.values));
    } else if (failures === "toast" && answer.message) {
      shopify.toast.show(t(answer.message.key, answer.message.values), { isError: true });
    }
  }, [answer, failures, shopify, t]);
}

/**
 * A toast for an action that answered with a redirect (a new record saved, one deleted): the
 * action adds `param` to the address it sends the merchant to, and the page says what happened.
 */
export function useRedirectToast(param: string, sentence: Message) {
  const [params] = useSearchParams();
  const arrived = params.get(param);
  const answer = useRef<ActionAnswer | undefined>(undefined);
  if (arrived !== null && answer.current === undefined)
    answer.current = { ok: true, message: sentence };
  useResultToast(arrived === null ? undefined : answer.current);
}
