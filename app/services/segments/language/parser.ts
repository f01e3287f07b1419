import type { Condition, Literal, NamedArgument, PositionTable, SegmentExpression } from "./ast";
import { COMPARISON_OPERATORS, type ComparisonOperator } from "./ast";
import { SegmentSyntaxError, positionAt, type SegmentErrorCode } from "./errors";
import { describeToken, tokenize, type Keyword, type Token } from "./lexer";
import { SEGMENT_LIMITS } from "./limits";

export interface ParsedSegment {
  ast: SegmentExpression;
  /** Source offsets of the tree's nodes, literals and named arguments, for later errors. */
  positions: PositionTable;
}

/**
 * Grammar (keywords ignore case; NOT binds tighter than AND, AND tighter than OR):
 *
 *   expression := and ( OR and )*
 *   and        := unary ( AND unary )*
 *   unary      := NOT unary | '(' expression ')' | condition
 *   condition  := name '(' [ argument ( ',' argument )* ] ')'
 *               | name ( '=' | '!=' | '<>' | '<' | '<=' | '>' | '>=' ) value
 *               | name [ NOT ] IN '(' value ( ',' value )* ')'
 *               | name BETWEEN value AND value
 *               | name IS [ NOT ] NULL
 *               | name [ NOT ] CONTAINS value
 *   argument   := value | name ':' value
 *   value      := 'text with '' for a quote' | -12.5 | TRUE | FALSE
 */
export function parseSegmentText(source: string): ParsedSegment {
  if (source.trim() === "") {
    throw new SegmentSyntaxError(
      "empty_input",
      "The segment expression is empty",
      "a condition",
      positionAt(source, 0),
    );
  }
  if (source.length > SEGMENT_LIMITS.maxLength) {
    throw new SegmentSyntaxError(
      "too_long",
      `The segment expression is ${source.length} characters long; at most ${SEGMENT_LIMITS.maxLength} are allowed`,
      `at most ${SEGMENT_LIMITS.maxLength} characters`,
      positionAt(source, SEGMENT_LIMITS.maxLength),
    );
  }
  return new Parser(source, tokenize(source)).parse();
}

const COMPARISON_SET: ReadonlySet<string> = new Set(COMPARISON_OPERATORS);

class Parser {
  private index = 0;
  private depth = 0;
  private conditionCount = 0;
  private readonly positions: PositionTable = new WeakMap();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parse(): ParsedSegment {
    const ast = this.parseOr(undefined);
    const next = this.peek();
    if (next.kind !== "end") {
      this.fail("unexpected_token", "AND, OR or the end of the expression", this.previous(), next);
    }
    return { ast, positions: this.positions };
  }

  private parseOr(after: Token | undefined): SegmentExpression {
    const first = this.parseAnd(after);
    const operands = [first];
    while (this.isKeyword(this.peek(), "OR")) {
      const orToken = this.advance();
      operands.push(this.parseAnd(orToken));
    }
    return operands.length === 1 ? first : this.at({ kind: "or", operands }, this.offsetOf(first));
  }

  private parseAnd(after: Token | undefined): SegmentExpression {
    const first = this.parseUnary(after);
    const operands = [first];
    while (this.isKeyword(this.peek(), "AND")) {
      const andToken = this.advance();
      operands.push(this.parseUnary(andToken));
    }
    return operands.length === 1 ? first : this.at({ kind: "and", operands }, this.offsetOf(first));
  }

  private parseUnary(after: Token | undefined): SegmentExpression {
    const token = this.peek();
    if (this.isKeyword(token, "NOT")) {
      this.advance();
      this.enterNesting(token);
      const operand = this.parseUnary(token);
      this.depth--;
      return this.at({ kind: "not", operand }, token.offset);
    }
    if (this.isSymbol(token, "(")) {
      this.advance();
      this.enterNesting(token);
      const inner = this.parseOr(token);
      const close = this.peek();
      if (!this.isSymbol(close, ")")) {
        const open = positionAt(this.source, token.offset);
        this.fail(
          "unexpected_token",
          "')'",
          this.previous(),
          close,
          `Missing ')' for the '(' on line ${open.line}, column ${open.column}: `,
        );
      }
      this.advance();
      this.depth--;
      return inner;
    }
    return this.parseCondition(after);
  }

  private parseCondition(after: Token | undefined): Condition {
    const nameToken = this.peek();
    if (nameToken.kind !== "identifier") {
      return this.fail(
        "unexpected_token",
        "a condition (a field name, a function, NOT or '(')",
        after,
        nameToken,
      );
    }
    this.advance();
    this.conditionCount++;
    if (this.conditionCount > SEGMENT_LIMITS.maxConditions) {
      throw new SegmentSyntaxError(
        "too_many_conditions",
        `A segment can have at most ${SEGMENT_LIMITS.maxConditions} conditions`,
        `at most ${SEGMENT_LIMITS.maxConditions} conditions`,
        positionAt(this.source, nameToken.offset),
      );
    }
    const condition = this.parseConditionRest(nameToken.name, nameToken);
    return this.at(condition, nameToken.offset);
  }

  private parseConditionRest(field: string, nameToken: Token): Condition {
    const token = this.peek();
    if (token.kind === "symbol") {
      if (token.symbol === "(") return this.parseFunctionCall(field);
      const operator = token.symbol === "<>" ? "!=" : token.symbol;
      if (COMPARISON_SET.has(operator)) {
        this.advance();
        const value = this.parseValue(token);
        return { kind: "compare", field, operator: operator as ComparisonOperator, value };
      }
    }
    if (token.kind === "keyword") {
      switch (token.keyword) {
        case "NOT": {
          this.advance();
          const next = this.peek();
          if (this.isKeyword(next, "IN")) {
            this.advance();
            return { kind: "in", field, negated: true, values: this.parseValueList(next) };
          }
          if (this.isKeyword(next, "CONTAINS")) {
            this.advance();
            return { kind: "contains", field, negated: true, value: this.parseValue(next) };
          }
          return this.fail("unexpected_token", "IN or CONTAINS", token, next);
        }
        case "IN":
          this.advance();
          return { kind: "in", field, negated: false, values: this.parseValueList(token) };
        case "CONTAINS":
          this.advance();
          return { kind: "contains", field, negated: false, value: this.parseValue(token) };
        case "BETWEEN": {
          this.advance();
          const low = this.parseValue(token);
          const andToken = this.peek();
          if (!this.isKeyword(andToken, "AND")) {
            this.fail(
              "unexpected_token",
              "AND between the two BETWEEN bounds",
              this.previous(),
              andToken,
            );
          }
          this.advance();
          return { kind: "between", field, low, high: this.parseValue(andToken) };
        }
        case "IS": {
          this.advance();
          const negated = this.isKeyword(this.peek(), "NOT");
          if (negated) this.advance();
          const nullToken = this.peek();
          if (!this.isKeyword(nullToken, "NULL")) {
            this.fail(
              "unexpected_token",
              negated ? "NULL" : "NULL or NOT NULL",
              this.previous(),
              nullToken,
            );
          }
          this.advance();
          return { kind: "is_null", field, negated };
        }
        default:
          break;
      }
    }
    return this.fail(
      "unexpected_token",
      "an operator (=, !=, <, <=, >, >=, IN, NOT IN, BETWEEN, IS NULL, CONTAINS, NOT CONTAINS)",
      nameToken,
      token,
    );
  }

  private parseFunctionCall(name: string): Condition {
    const open = this.advance();
    const args: Literal[] = [];
    const namedArgs: NamedArgument[] = [];
    if (this.isSymbol(this.peek(), ")")) {
      this.advance();
      return { kind: "function", name, args, namedArgs };
    }
    let after: Token = open;
    for (;;) {
      const token = this.peek();
      const following = this.tokens[this.index + 1];
      if (token.kind === "identifier" && following && this.isSymbol(following, ":")) {
        this.index += 2;
        const argument: NamedArgument = { name: token.name, value: this.parseValue(following) };
        namedArgs.push(this.at(argument, token.offset));
      } else {
        args.push(this.parseValue(after));
      }
      const separator = this.peek();
      if (this.isSymbol(separator, ")")) {
        this.advance();
        return { kind: "function", name, args, namedArgs };
      }
      if (!this.isSymbol(separator, ",")) {
        this.fail(
          "unexpected_token",
          `',' or ')' in the arguments of ${name}`,
          this.previous(),
          separator,
        );
      }
      after = this.advance();
    }
  }

  private parseValueList(inToken: Token): Literal[] {
    const open = this.peek();
    if (!this.isSymbol(open, "(")) {
      this.fail("unexpected_token", "'(' to start the list of values", inToken, open);
    }
    this.advance();
    const values = [this.parseValue(open)];
    for (;;) {
      const separator = this.peek();
      if (this.isSymbol(separator, ")")) {
        this.advance();
        return values;
      }
      if (!this.isSymbol(separator, ",")) {
        this.fail(
          "unexpected_token",
          "',' or ')' in the list of values",
          this.previous(),
          separator,
        );
      }
      this.advance();
      values.push(this.parseValue(separator));
    }
  }

  private parseValue(after: Token): Literal {
    const token = this.peek();
    let literal: Literal | undefined;
    if (token.kind === "string") literal = { kind: "string", value: token.value };
    else if (token.kind === "number") literal = { kind: "number", value: token.value };
    else if (this.isKeyword(token, "TRUE")) literal = { kind: "boolean", value: true };
    else if (this.isKeyword(token, "FALSE")) literal = { kind: "boolean", value: false };
    if (!literal) {
      const hint = this.isKeyword(token, "NULL") ? " (test for a missing value with IS NULL)" : "";
      return this.fail("unexpected_token", `a value${hint}`, after, token);
    }
    this.advance();
    return this.at(literal, token.offset);
  }

  private enterNesting(token: Token): void {
    this.depth++;
    if (this.depth > SEGMENT_LIMITS.maxDepth) {
      throw new SegmentSyntaxError(
        "too_deep",
        `Parentheses and NOT can be nested at most ${SEGMENT_LIMITS.maxDepth} levels deep`,
        `at most ${SEGMENT_LIMITS.maxDepth} levels of nesting`,
        positionAt(this.source, token.offset),
      );
    }
  }

  private fail(
    code: SegmentErrorCode,
    expected: string,
    after: Token | undefined,
    found: Token,
    context = "",
  ): never {
    const afterText = after ? ` after ${describeToken(after)}` : "";
    const foundText = found.kind === "end" ? "" : ` but found ${describeToken(found)}`;
    throw new SegmentSyntaxError(
      code,
      `${context}${context ? "expected" : "Expected"} ${expected}${afterText}${foundText}`,
      expected,
      positionAt(this.source, found.offset),
    );
  }

  private at<T extends object>(node: T, offset: number): T {
    this.positions.set(node, offset);
    return node;
  }

  private offsetOf(node: object): number {
    return this.positions.get(node) ?? 0;
  }

  private peek(): Token {
    // The lexer always ends the list with an `end` token, and parsing never advances past it.
    return this.tokens[Math.min(this.index, this.tokens.length - 1)] as Token;
  }

  private previous(): Token | undefined {
    return this.tokens[this.index - 1];
  }

  private advance(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private isKeyword(token: Token, keyword: Keyword): boolean {
    return token.kind === "keyword" && token.keyword === keyword;
  }

  private isSymbol(token: Token, symbol: string): boolean {
    return token.kind === "symbol" && token.symbol === symbol;
  }
}
