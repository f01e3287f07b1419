import { SegmentSyntaxError, positionAt } from "./errors";
import { canonicalDecimal } from "./numbers";

const KEYWORDS = [
  "AND",
  "OR",
  "NOT",
  "IN",
  "BETWEEN",
  "IS",
  "NULL",
  "CONTAINS",
  "TRUE",
  "FALSE",
] as const;
export type Keyword = (typeof KEYWORDS)[number];

export type Token =
  | { kind: "keyword"; keyword: Keyword; text: string; offset: number }
  /** Field, function and argument names; stored lower-case since names ignore case. */
  | { kind: "identifier"; name: string; text: string; offset: number }
  | { kind: "string"; value: string; text: string; offset: number }
  /** `value` is canonical decimal text. */
  | { kind: "number"; value: string; text: string; offset: number }
  | { kind: "symbol"; symbol: SymbolText; text: string; offset: number }
  | { kind: "end"; text: ""; offset: number };

const SYMBOLS = ["<=", ">=", "!=", "<>", "=", "<", ">", "(", ")", ",", ":"] as const;
type SymbolText = (typeof SYMBOLS)[number];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const WHITESPACE = /[ \t\r\n]/;
const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const NUMBER = /-?\d+(?:\.\d+)?/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;

  while (offset < source.length) {
    const char = source.charAt(offset);
    if (WHITESPACE.test(char)) {
      offset++;
    } else if (char === "'") {
      const token = readString(source, offset);
      tokens.push(token);
      offset += token.text.length;
    } else if (DIGIT.test(char) || (char === "-" && DIGIT.test(source.charAt(offset + 1)))) {
      const token = readNumber(source, offset);
      tokens.push(token);
      offset += token.text.length;
    } else if (IDENTIFIER_START.test(char)) {
      let end = offset + 1;
      while (end < source.length && IDENTIFIER_PART.test(source.charAt(end))) end++;
      const text = source.slice(offset, end);
      const upper = text.toUpperCase();
      tokens.push(
        KEYWORD_SET.has(upper)
          ? { kind: "keyword", keyword: upper as Keyword, text, offset }
          : { kind: "identifier", name: text.toLowerCase(), text, offset },
      );
      offset = end;
    } else {
      const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, offset));
      if (!symbol) {
        const hint =
          char === '"' ? "; write text values in single quotes and field names without quotes" : "";
        throw new SegmentSyntaxError(
          "unexpected_character",
          `Unexpected character ${describeCharacter(source, offset)}${hint}`,
          "a field, value, operator or parenthesis",
          positionAt(source, offset),
        );
      }
      tokens.push({ kind: "symbol", symbol, text: symbol, offset });
      offset += symbol.length;
    }
  }
  tokens.push({ kind: "end", text: "", offset: source.length });
  return tokens;
}

function readString(source: string, start: number): Token {
  let value = "";
  let offset = start + 1;
  for (;;) {
    const quote = source.indexOf("'", offset);
    if (quote < 0) {
      throw new SegmentSyntaxError(
        "unterminated_string",
        "Text value is missing its closing quote (')",
        "a closing quote (')",
        positionAt(source, start),
      );
    }
    value += source.slice(offset, quote);
    // Two quotes in a row stand for one quote inside the value.
    if (source.charAt(quote + 1) === "'") {
      value += "'";
      offset = quote + 2;
    } else {
      return { kind: "string", value, text: source.slice(start, quote + 1), offset: start };
    }
  }
}

function readNumber(source: string, start: number): Token {
  NUMBER.lastIndex = start;
  const text = NUMBER.exec(source)?.[0] ?? "";
  const after = start + text.length;
  const next = source.charAt(after);
  if (next === "." || IDENTIFIER_PART.test(next)) {
    throw new SegmentSyntaxError(
      "invalid_number",
      `Unexpected ${describeCharacter(source, after)} ${next === "." ? "in" : "after"} the number ${source.slice(start, after)}`,
      next === "." ? "digits after the decimal point" : "a space or operator after the number",
      positionAt(source, after),
    );
  }
  return { kind: "number", value: canonicalDecimal(text), text, offset: start };
}

function describeCharacter(source: string, offset: number): string {
  const codePoint = source.codePointAt(offset);
  if (codePoint === undefined) return "end of input";
  const char = String.fromCodePoint(codePoint);
  return codePoint < 0x20 || codePoint === 0x7f
    ? `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`
    : `'${char}'`;
}

/** How a token reads in an error message. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end of the expression";
    case "string":
      return token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
    default:
      return `'${token.text}'`;
  }
}
