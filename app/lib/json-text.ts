// Byte classes of the JSON grammar (RFC 8259), looked up by byte value.
const WHITESPACE = byteSet(" \t\n\r");
const DIGIT = byteSet("0123456789");
const HEX_DIGIT = byteSet("0123456789abcdefABCDEF");
/** Bytes that stand for themselves in a string: not a quote, backslash or control character. */
const PLAIN_IN_STRING = new Uint8Array(256).map((_, byte) =>
  byte >= 0x20 && byte !== 0x22 && byte !== 0x5c ? 1 : 0,
);
/** What may follow a backslash in a string (besides `u` and four hex digits). */
const SIMPLE_ESCAPE = byteSet('"\\/bfnrt');

function byteSet(characters: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const character of characters) set[character.charCodeAt(0)] = 1;
  return set;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const LOWER_U = 0x75;

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/**
 * Whether `bytes` hold one JSON text: exactly what `JSON.parse` accepts of their UTF-8
 * decoding (a test holds the two together), without building any value. On a 12 KB order
 * body it takes less than half of JSON.parse's time, for callers that only need to know
 * (the webhook front stores the text as received and leaves parsing to the workers).
 *
 * Bytes outside ASCII can only stand inside strings, where any of them is accepted, as their
 * decoding (replacement characters included) always is; anywhere else they make it invalid,
 * as any non-ASCII character does. A leading byte order mark is not JSON (JSON.parse refuses
 * it too): strip it first if the text may carry one.
 */
export function isJsonText(bytes: Uint8Array): boolean {
  const end = bytes.length;
  /** Open containers, innermost last: true for an object, false for an array. */
  const open: boolean[] = [];
  let at = 0;
  let expectKey = false;

  for (;;) {
    // A value, or an object's key (a string followed by a colon).
    while (at < end && WHITESPACE[bytes[at] ?? 0] === 1) at++;
    if (at >= end) return false;
    const first = bytes[at] ?? 0;
    if (expectKey && first !== QUOTE) return false;

    if (first === QUOTE) {
      at = stringEnd(bytes, at + 1);
      if (at < 0) return false;
      if (expectKey) {
        while (at < end && WHITESPACE[bytes[at] ?? 0] === 1) at++;
        if (bytes[at] !== COLON) return false;
        at++;
        expectKey = false;
        continue;
      }
    } else if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      at++;
      while (at < end && WHITESPACE[bytes[at] ?? 0] === 1) at++;
      if (bytes[at] === (first === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        at++; // empty: a complete value
      } else {
        open.push(first === OPEN_OBJECT);
        expectKey = first === OPEN_OBJECT;
        continue;
      }
    } else if (first === MINUS || DIGIT[first] === 1) {
      at = numberEnd(bytes, at);
      if (at < 0) return false;
    } else {
      const word = first === 0x74 ? TRUE : first === 0x66 ? FALSE : first === 0x6e ? NULL : null;
      if (!word || !matches(bytes, at, word)) return false;
      at += word.length;
    }

    // After a complete value: close the containers it ends, or go on to the next member.
    for (;;) {
      while (at < end && WHITESPACE[bytes[at] ?? 0] === 1) at++;
      if (open.length === 0) return at === end;
      const inObject = open[open.length - 1] === true;
      const next = bytes[at];
      if (next === COMMA) {
        at++;
        expectKey = inObject;
        break;
      }
      if (next !== (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) return false;
      at++;
      open.pop();
    }
  }
}

/** Where the string whose content starts at `at` ends (after its quote), or -1. */
function stringEnd(bytes: Uint8Array, at: number): number {
  const end = bytes.length;
  while (at < end) {
    while (at < end && PLAIN_IN_STRING[bytes[at] ?? 0] === 1) at++;
    if (at >= end) return -1;
    const byte = bytes[at] ?? 0;
    if (byte === QUOTE) return at + 1;
    if (byte === BACKSLASH) {
      const escaped = bytes[at + 1] ?? 0;
      if (escaped === LOWER_U) {
        for (let digit = 2; digit < 6; digit++) {
          if (HEX_DIGIT[bytes[at + digit] ?? 0] !== 1) return -1;
        }
        at += 6;
      } else if (SIMPLE_ESCAPE[escaped] === 1) {
        at += 2;
      } else {
        return -1;
      }
    } else if (byte < 0x20) {
      return -1; // control characters must be escaped
    } else {
      at++;
    }
  }
  return -1;
}

/** Where the number starting at `at` ends, or -1: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function numberEnd(bytes: Uint8Array, at: number): number {
  if (bytes[at] === MINUS) at++;
  if (bytes[at] === ZERO) at++;
  else if ((at = digitsEnd(bytes, at)) < 0) return -1;
  if (bytes[at] === DOT && (at = digitsEnd(bytes, at + 1)) < 0) return -1;
  if (bytes[at] === LOWER_E || bytes[at] === UPPER_E) {
    at++;
    if (bytes[at] === PLUS || bytes[at] === MINUS) at++;
    if ((at = digitsEnd(bytes, at)) < 0) return -1;
  }
  return at;
}

/** Where the run of digits starting at `at` ends, or -1 when there is none. */
function digitsEnd(bytes: Uint8Array, at: number): number {
  const start = at;
  while (at < bytes.length && DIGIT[bytes[at] ?? 0] === 1) at++;
  return at > start ? at : -1;
}

function matches(bytes: Uint8Array, at: number, word: readonly number[]): boolean {
  for (let index = 0; index < word.length; index++) {
    if (bytes[at + index] !== word[index]) return false;
  }
  return true;
}
