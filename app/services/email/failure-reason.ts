import type { SmtpFailure } from "./email-errors";

/**
 * Why an email did not go out, in a merchant's words, for the win-back rule page. Built from
 * the failure's kind and reply code only: the server's own reply line often quotes the
 * customer's address, and this text is kept with the delivery.
 */
export function smtpFailureReason(failure: SmtpFailure): string {
  const code = failure.responseCode === null ? "" : ` (mail server reply ${failure.responseCode})`;
  if (failure.inDoubt) {
    return "The connection to your mail server was lost just after the email was handed over, so it may have been delivered; it was not sent again to avoid a duplicate";
  }
  switch (failure.kind) {
    case "recipient":
      return failure.permanent
        ? `Your mail server refused the customer's email address${code}`
        : `Your mail server asked to try this address again later${code}`;
    case "config":
      return `Your mail server refused the login or the secure connection; check the settings under Email${code}`;
    case "message":
      return failure.permanent
        ? `Your mail server refused the email${code}`
        : `Your mail server asked to send the email again later${code}`;
    case "connection":
      return "Could not reach your mail server";
  }
}
