/**
 * JSON.parse that keeps Shopify's 64-bit ids exact. Shopify ids exceed 2^53, which a plain
 * JSON.parse silently rounds; every integer that is the value of an `id` / `*_id` key, and any
 * integer too large for a double, comes back as its exact decimal text instead.
 *
 * One pass over the text skips its strings whole (digits inside text are never touched),
 * follows the brackets and puts the numbers to keep exact in quotes; the native JSON.parse then
 * reads the result. On webhook bodies this is several times faster than a reviver, which is
 * called for every value and asks for each one's source text. Only well-formed numbers in
 * value positions are quoted, so malformed JSON stays malformed and JSON.parse throws
 * SyntaxError.
 */
export function parseJsonExact(text: string): unknown {
  let exact = "";
  const inArray: boolean[] = [];
  let copiedUpTo = 0;
  // The last string read: the key of a value that follows a colon.
  let keyStart = 0;
  let keyEnd = 0;
  let keyEscaped = false;
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      keyStart = index + 1;
      keyEscaped = false;
      index += 1;
      while (index < text.length) {
        const inside = text.charCodeAt(index);
        if (inside === QUOTE) break;
        if (inside === BACKSLASH) {
          keyEscaped = true;
          index += 1;
        }
        index += 1;
      }
      keyEnd = index;
      index += 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      inArray.push(code === OPEN_BRACKET);
      index += 1;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      inArray.pop();
      index += 1;
    } else if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
      const start = index;
      index += 1;
      while (index < text.length && isNumberChar(text.charCodeAt(index))) index += 1;
      const number = text.slice(start, index);
      const position = valuePosition(text, start, inArray);
      if (
        position !== "elsewhere" &&
        keepsExact(number, position, text, keyStart, keyEnd, keyEscaped)
      ) {
        exact += text.slice(copiedUpTo, start) + '"' + number + '"';
        copiedUpTo = index;
      }
    } else {
      index += 1;
    }
  }
  if (copiedUpTo === 0) return JSON.parse(text);
  return JSON.parse(exact + text.slice(copiedUpTo));
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

type Position = "property" | "element" | "elsewhere";

/** Where the value starting at `at` stands: after a colon, in an array or the document, or neither. */
function valuePosition(text: string, at: number, inArray: readonly boolean[]): Position {
  let before = at - 1;
  while (before >= 0 && isJsonSpace(text.charCodeAt(before))) before -= 1;
  if (before < 0) return inArray.length === 0 ? "element" : "elsewhere";
  const previous = text.charCodeAt(before);
  if (previous === COLON) return "property";
  if (previous === OPEN_BRACKET) return "element";
  // After a comma in an object an element is out of place (a key belongs there).
  if (previous === COMMA && inArray[inArray.length - 1] === true) return "element";
  return "elsewhere";
}

const COLON = 0x3a;
const COMMA = 0x2c;

/** Whether `number` is an integer to return as its text; the key is text[keyStart, keyEnd). */
function keepsExact(
  number: string,
  position: Position,
  text: string,
  keyStart: number,
  keyEnd: number,
  keyEscaped: boolean,
): boolean {
  const value = Number(number);
  if (!Number.isInteger(value) || !JSON_NUMBER.test(number)) return false;
  if (!Number.isSafeInteger(value)) return true;
  if (position === "element") return false;
  if (keyEscaped) {
    const key = JSON.parse(`"${text.slice(keyStart, keyEnd)}"`) as string;
    return key === "id" || key.endsWith("_id");
  }
  const length = keyEnd - keyStart;
  return (
    (length === 2 && text.startsWith("id", keyStart)) ||
    (length >= 3 && text.startsWith("_id", keyEnd - 3))
  );
}

function isNumberChar(code: number): boolean {
  return (
    (code >= DIGIT_0 && code <= DIGIT_9) ||
    code === 0x2e || // .
    code === 0x65 || // e
    code === 0x45 || // E
    code === 0x2b || // +
    code === MINUS
  );
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
