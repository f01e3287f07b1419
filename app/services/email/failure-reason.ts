import { isMessage, message, type Message } from "~/i18n/message";
import type { SmtpFailure } from "./email-errors";

/**
 * Why an email did not go out, as an actionReasons.* key the admin words in the merchant's
 * language. Built from the failure's kind and reply code only: the server's own reply line
 * often quotes the customer's address, and this is kept with the delivery.
 */
export function smtpFailureReason(failure: SmtpFailure): Message {
  const reply = failure.responseCode === null ? undefined : { replyCode: failure.responseCode };
  if (failure.inDoubt) return message("actionReasons.sendInDoubt");
  switch (failure.kind) {
    case "recipient":
      return message(
        failure.permanent ? "actionReasons.addressRefused" : "actionReasons.addressLater",
        reply,
      );
    case "config":
      return message("actionReasons.loginRefused", reply);
    case "message":
      return message(
        failure.permanent ? "actionReasons.emailRefused" : "actionReasons.emailLater",
        reply,
      );
    case "connection":
      return message("actionReasons.serverUnreachable");
  }
}

/** An error that carries its reason for the merchant (a send failure sorted by its path). */
interface ReasonedError extends Error {
  readonly reason: Message;
}

/**
 * The reason an action or a flow step failed, for its record: the error's own when it carries
 * one, otherwise a generic sentence (the error itself goes to the logs, never to the screen).
 */
export const failureReason = (error: unknown, fallbackKey = "actionReasons.failed"): Message =>
  error instanceof Error && isMessage((error as Partial<ReasonedError>).reason)
    ? (error as ReasonedError).reason
    : message(fallbackKey);
