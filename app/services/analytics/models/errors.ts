/**
 * Errors a caller can act on: bad input data (fix or drop the row), bad parameters (refit or use a
 * prior), merchant-supplied thresholds that make no sense (show the merchant the message), and a
 * numerical routine that could not reach the requested accuracy.
 */

/** A customer summary the models cannot use; `index` is its position in the input array. */
export class InvalidSummaryError extends Error {
  override readonly name = "InvalidSummaryError";
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(`summary #${index}: ${message}`);
  }
}

/** Model parameters outside the model's domain (e.g. a non-positive shape parameter). */
export class InvalidParametersError extends Error {
  override readonly name = "InvalidParametersError";
}

/** Merchant-supplied RFM or lifecycle thresholds that are not usable as given. */
export class InvalidThresholdsError extends Error {
  override readonly name = "InvalidThresholdsError";
}

/** A special-function evaluation that hit a pole or did not converge. */
export class NumericalError extends Error {
  override readonly name = "NumericalError";
}

/** Too little data to fit a model at all (e.g. no customers); fall back to a prior. */
export class InsufficientDataError extends Error {
  override readonly name = "InsufficientDataError";
}
