/**
 * Numbers in form fields in the merchant's own digits: a Persian page shows ۹۰ where the value is
 * 90, and a merchant may type either. Forms and the server keep Latin digits.
 */

/**
 * Persian (U+06F0…) and Arabic-Indic (U+0660…) digits and separators, and the Arabic comma
 * between the numbers of a list, as Latin ones.
 */
export function latinDigits(text: string): string {
  return text
    .replace(/[\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/\u066B/g, ".")
    .replace(/[\u066C\u060C]/g, ",");
}

/**
 * A Latin-digit value written with `locale`'s digits, and its decimal mark where that is the
 * Arabic one (a comma, as in Turkish, would not read back: "1,5" could be a list).
 */
export function localDigits(text: string, locale: string): string {
  const { digits, decimal } = numeralsOf(locale);
  const withDigits = text.replace(/[0-9]/g, (digit) => digits[Number(digit)] ?? digit);
  return decimal === "\u066B" ? withDigits.replace(/\./g, decimal) : withDigits;
}

interface Numerals {
  digits: string[];
  decimal: string | undefined;
}

// Number boxes call localDigits on every render and keystroke; a locale's numerals never change.
const numeralsByLocale = new Map<string, Numerals>();

function numeralsOf(locale: string): Numerals {
  let numerals = numeralsByLocale.get(locale);
  if (!numerals) {
    const format = new Intl.NumberFormat(locale, { useGrouping: false });
    numerals = {
      digits: Array.from({ length: 10 }, (_, digit) => format.format(digit)),
      decimal: format.formatToParts(1.5).find((part) => part.type === "decimal")?.value,
    };
    numeralsByLocale.set(locale, numerals);
  }
  return numerals;
}
