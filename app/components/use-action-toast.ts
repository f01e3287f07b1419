import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { Message } from "~/i18n/message";

/** Says what an action did (or why it did not) in a toast, once per answer. */
export function useActionToast(result: { ok: boolean; message: Message } | undefined): void {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  useEffect(() => {
    if (result) {
      shopify.toast.show(t(result.message.key, result.message.values), { isError: !result.ok });
    }
  }, [result, shopify, t]);
}
