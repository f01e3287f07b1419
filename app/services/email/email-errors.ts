import { AppError } from "~/lib/errors";

/**
 * The shop has no usable SMTP settings: none saved (`missing`), or a stored password that no
 * longer decrypts because the app secret changed (`unreadable`; the merchant re-enters it).
 */
export class EmailNotConfiguredError extends AppError {
  constructor(
    readonly shopId: number,
    readonly reason: "missing" | "unreadable" = "missing",
  ) {
    super(
      reason === "missing"
        ? `Shop ${shopId} has no email (SMTP) settings`
        : `Shop ${shopId}'s SMTP password can no longer be decrypted; it must be entered again`,
    );
  }
}

/**
 * What an SMTP failure was about, so a caller knows whom to blame:
 * - `recipient`: the server refused this address (RCPT TO); other customers are unaffected.
 * - `config`: the shop's settings do not work (login refused, TLS unavailable or its
 *   certificate rejected); every send will fail until the merchant fixes them.
 * - `message`: the server refused the message itself (MAIL FROM, DATA: size, content, policy).
 * - `connection`: no SMTP conversation (DNS, refused, timeout, TLS); usually worth a retry.
 */
export type SmtpFailureKind = "recipient" | "config" | "message" | "connection";

export interface SmtpFailure {
  kind: SmtpFailureKind;
  /** The SMTP reply code (550, 451, 535...), or null when the server never answered. */
  responseCode: number | null;
  /**
   * True when sending the same message again will fail again: a 5xx reply (except 503, a
   * protocol hiccup). 4xx replies and connection failures are temporary.
   */
  permanent: boolean;
  /** Nodemailer's error code (EENVELOPE, EAUTH, ECONNECTION, ETIMEDOUT, ...), if any. */
  errorCode: string | null;
  /** The server's reply line, if any. */
  response: string | null;
  /**
   * The connection failed after the whole message had been handed to the server and before it
   * answered: the server may have taken it, so sending it again could deliver it twice. Every
   * other failure provably left the message undelivered (a reply refused it, or the message
   * never got to the end of its DATA).
   */
  inDoubt: boolean;
}

/** An SMTP send failed; `message` is the server's or the socket's own words, safe to show. */
export class SmtpSendError extends AppError implements SmtpFailure {
  readonly kind: SmtpFailureKind;
  readonly responseCode: number | null;
  readonly permanent: boolean;
  readonly errorCode: string | null;
  readonly response: string | null;
  readonly inDoubt: boolean;

  constructor(message: string, failure: SmtpFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = failure.kind;
    this.responseCode = failure.responseCode;
    this.permanent = failure.permanent;
    this.errorCode = failure.errorCode;
    this.response = failure.response;
    this.inDoubt = failure.inDoubt;
  }
}
