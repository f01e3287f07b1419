/**
 * PostgreSQL's COPY text format, the default of `COPY … FROM STDIN`: one row per line, columns
 * separated by tabs, `\N` for NULL, and backslash, tab, newline and carriage return written
 * with a backslash. An array is written as its array literal, escaped the same way.
 */
export type CopyValue =
  string | number | bigint | boolean | Date | null | undefined | readonly string[];

/** The rows of `records`, each the values of `fields` in that order, ending with a newline. */
export function copyRows<R>(records: readonly R[], fields: ReadonlyArray<keyof R>): string {
  let text = "";
  for (const record of records) {
    for (let index = 0; index < fields.length; index++) {
      if (index > 0) text += "\t";
      text += copyValue(record[fields[index] as keyof R] as CopyValue);
    }
    text += "\n";
  }
  return text;
}

export function copyValue(value: CopyValue): string {
  if (value === null || value === undefined) return "\\N";
  switch (typeof value) {
    case "string":
      return escapeText(value);
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`cannot store ${value} in a number column`);
      return String(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "t" : "f";
  }
  if (value instanceof Date) return value.toISOString();
  return escapeText(arrayLiteral(value));
}

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPED = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPED, (character) => {
    const escaped = ESCAPES[character];
    // PostgreSQL text cannot hold NUL; saying so beats the server's "invalid byte sequence".
    if (escaped === undefined) throw new RangeError("text contains a NUL character");
    return escaped;
  });
}

/** `{"a","b \"c\""}`: every element quoted, so commas, braces and spaces need no care. */
function arrayLiteral(items: readonly string[]): string {
  let literal = "{";
  for (let index = 0; index < items.length; index++) {
    if (index > 0) literal += ",";
    literal += `"${String(items[index]).replace(/["\\]/g, "\\$&")}"`;
  }
  return `${literal}}`;
}
