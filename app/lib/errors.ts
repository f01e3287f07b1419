/**
 * One base class for the app's own failures; subclasses say what went wrong so callers can
 * branch on the type rather than on message text.
 */
export class AppError extends Error {
  /**
   * A short snake_case name for clients that branch on it (the storefront scripts and the
   * thank-you extension read it from `{ error }`); without one, the route names the class.
   */
  readonly code: string | undefined;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.name = new.target.name;
    this.code = options?.code;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The environment is missing or has an invalid setting; the message names the variable. */
export class ConfigError extends AppError {}

/** Input from outside (a request, a webhook, a merchant form) failed validation. */
export class InvalidInputError extends AppError {}

/** A request named something (by id) that does not exist for this shop; routes answer 404. */
export class NotFoundError extends AppError {}

/** Shopify answered a mutation with userErrors. */
export class ShopifyUserError extends AppError {
  constructor(
    readonly operation: string,
    readonly userErrors: ReadonlyArray<{ field?: readonly string[] | null; message: string }>,
  ) {
    super(`${operation} failed: ${userErrors.map((error) => error.message).join("; ")}`);
  }
}

/** The shop is unknown to the app or has uninstalled it. */
export class ShopNotInstalledError extends AppError {
  constructor(readonly shopDomain: string) {
    super(`Shop ${shopDomain} has not installed the app`);
  }
}

/** A body larger than the endpoint ever needs; it is refused before being parsed. */
export class PayloadTooLargeError extends AppError {}

/**
 * The sender could not prove what it claims: a storefront event about a render the app did not
 * serve (or with a forged token), or about another shopper's offer.
 */
export class NotVerifiedError extends AppError {}

/** The same thing was recorded before; recording it again would count it twice. */
export class AlreadyRecordedError extends AppError {}

/**
 * The shop's plan does not include what was asked for (a feature, or its month's orders are
 * over the plan's volume). The message says so in the merchant's words and names the plan that
 * would allow it (English, for logs and stored run errors); `reason` is the same sentence as a
 * translation key and its values, which the admin shows with a link to Plans.
 */
export class PlanLimitError extends AppError {
  constructor(
    message: string,
    readonly reason: { key: string; values: Record<string, string | number> },
  ) {
    super(message, { code: "plan_limit" });
  }
}
