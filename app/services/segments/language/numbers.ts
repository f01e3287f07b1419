/** The one spelling the tree stores, so `007`, `7` and `7.0` are the same value. */
export const CANONICAL_DECIMAL_PATTERN = /^(?:0|-?[1-9]\d*|-?0\.\d*[1-9]|-?[1-9]\d*\.\d*[1-9])$/;

export function canonicalDecimal(text: string): string {
  const negative = text.startsWith("-");
  const [integerDigits = "0", fractionDigits = ""] = (negative ? text.slice(1) : text).split(".");
  const integerPart = integerDigits.replace(/^0+(?=\d)/, "");
  const fractionPart = fractionDigits.replace(/0+$/, "");
  const magnitude = fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
  return negative && magnitude !== "0" ? `-${magnitude}` : magnitude;
}

export function isWholeNumber(canonical: string): boolean {
  return !canonical.includes(".");
}

export function fractionDigitCount(canonical: string): number {
  const dot = canonical.indexOf(".");
  return dot < 0 ? 0 : canonical.length - dot - 1;
}

/** Digits without sign, dot and leading zeros: beyond 15 a double no longer holds them exactly. */
export function significantDigitCount(canonical: string): number {
  return canonical.replace(/[-.]/g, "").replace(/^0+/, "").length;
}
