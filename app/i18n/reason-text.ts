/**
 * A stored reason (an action's or a flow step's: why it failed or was skipped), a message key
 * and its values, as the merchant reads it. Plain: safe in the browser. A reason without a known
 * key (a row older or newer than the code) reads as the generic failure, never as the key; a
 * mail server's reply code and the attempts made are added as their own short sentences.
 */
import type { TFunction } from "i18next";
import { isMessage } from "./message";

export function reasonText(t: TFunction, reason: unknown): string {
  const stored = isMessage(reason) ? reason : { key: "actionReasons.failed" };
  const values = stored.values ?? {};
  const parts = [t(stored.key, { ...values, defaultValue: t("actionReasons.failed") })];
  if (values.replyCode !== undefined) {
    parts.push(t("actionReasons.serverReply", { code: values.replyCode }));
  }
  if (values.attempts !== undefined && stored.key !== "actionReasons.gaveUp") {
    parts.push(t("actionReasons.gaveUp", { attempts: values.attempts }));
  }
  return parts.join(" ");
}
