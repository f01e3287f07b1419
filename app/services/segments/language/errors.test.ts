import { describe, expect, it } from "vitest";
import { SegmentSyntaxError, SegmentTypeError, parseSegment, type SegmentErrorCode } from "./index";
import { InvalidInputError } from "~/lib/errors";

function errorOf(text: string) {
  try {
    parseSegment(text);
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

type Case = [text: string, code: SegmentErrorCode, line: number, column: number, message: string];

const SYNTAX_ERRORS: Case[] = [
  ["", "empty_input", 1, 1, "The segment expression is empty at line 1, column 1"],
  [" \n\t", "empty_input", 1, 1, "The segment expression is empty at line 1, column 1"],
  ["email = 'x';", "unexpected_character", 1, 12, "Unexpected character ';' at line 1, column 12"],
  [
    'email = "x"',
    "unexpected_character",
    1,
    9,
    "Unexpected character '\"'; write text values in single quotes and field names without quotes at line 1, column 9",
  ],
  [
    "email = 'abc",
    "unterminated_string",
    1,
    9,
    "Text value is missing its closing quote (') at line 1, column 9",
  ],
  ["aov > 1.", "invalid_number", 1, 8, "Unexpected '.' in the number 1 at line 1, column 8"],
  [
    "days_since_last_order > 90days",
    "invalid_number",
    1,
    27,
    "Unexpected 'd' after the number 90 at line 1, column 27",
  ],
  [
    "days_since_last_order >",
    "unexpected_token",
    1,
    24,
    "Expected a value after '>' at line 1, column 24",
  ],
  [
    "days_since_last_order > AND",
    "unexpected_token",
    1,
    25,
    "Expected a value after '>' but found 'AND' at line 1, column 25",
  ],
  [
    "email = NULL",
    "unexpected_token",
    1,
    9,
    "Expected a value (test for a missing value with IS NULL) after '=' but found 'NULL' at line 1, column 9",
  ],
  [
    "orders_count 5",
    "unexpected_token",
    1,
    14,
    "Expected an operator (=, !=, <, <=, >, >=, IN, NOT IN, BETWEEN, IS NULL, CONTAINS, NOT CONTAINS) after 'orders_count' but found '5' at line 1, column 14",
  ],
  [
    "(orders_count > 1",
    "unexpected_token",
    1,
    18,
    "Missing ')' for the '(' on line 1, column 1: expected ')' after '1' at line 1, column 18",
  ],
  [
    "orders_count > 1)",
    "unexpected_token",
    1,
    17,
    "Expected AND, OR or the end of the expression after '1' but found ')' at line 1, column 17",
  ],
  [
    "orders_count > 1 AND",
    "unexpected_token",
    1,
    21,
    "Expected a condition (a field name, a function, NOT or '(') after 'AND' at line 1, column 21",
  ],
  [
    "orders_count IN 1",
    "unexpected_token",
    1,
    17,
    "Expected '(' to start the list of values after 'IN' but found '1' at line 1, column 17",
  ],
  [
    "orders_count IN ()",
    "unexpected_token",
    1,
    18,
    "Expected a value after '(' but found ')' at line 1, column 18",
  ],
  [
    "orders_count BETWEEN 1 5",
    "unexpected_token",
    1,
    24,
    "Expected AND between the two BETWEEN bounds after '1' but found '5' at line 1, column 24",
  ],
  ["email IS NOT", "unexpected_token", 1, 13, "Expected NULL after 'NOT' at line 1, column 13"],
  [
    "tags NOT 'x'",
    "unexpected_token",
    1,
    10,
    "Expected IN or CONTAINS after 'NOT' but found 'x' at line 1, column 10",
  ],
  [
    "has_purchased_product(1 2)",
    "unexpected_token",
    1,
    25,
    "Expected ',' or ')' in the arguments of has_purchased_product after '1' but found '2' at line 1, column 25",
  ],
  [
    "email = 'ok'\n  AND aov >",
    "unexpected_token",
    2,
    12,
    "Expected a value after '>' at line 2, column 12",
  ],
];

const TYPE_ERRORS: Case[] = [
  [
    "order_count > 1",
    "unknown_field",
    1,
    1,
    "Unknown field 'order_count'; did you mean 'orders_count'? at line 1, column 1",
  ],
  ["constructor = 1", "unknown_field", 1, 1, "Unknown field 'constructor' at line 1, column 1"],
  [
    "has_purchased(1)",
    "unknown_function",
    1,
    1,
    "Unknown function 'has_purchased'; did you mean 'has_purchased_product'? at line 1, column 1",
  ],
  [
    "email CONTAINS 'x'",
    "operator_not_allowed",
    1,
    1,
    "CONTAINS cannot be used with email, which is text; CONTAINS only works on list fields such as tags at line 1, column 1",
  ],
  [
    "orders_count = 1 AND tags = 'x'",
    "operator_not_allowed",
    1,
    22,
    "= cannot be used with tags, which is a list of text values; use CONTAINS or NOT CONTAINS at line 1, column 22",
  ],
  [
    "lifecycle_stage > 'new'",
    "operator_not_allowed",
    1,
    1,
    "> cannot be used with lifecycle_stage, which is one of a fixed set of values at line 1, column 1",
  ],
  [
    "orders_count > 'five'",
    "wrong_value_type",
    1,
    16,
    "Expected a number for orders_count but found the text 'five' at line 1, column 16",
  ],
  [
    "verified_email = 'yes'",
    "wrong_value_type",
    1,
    18,
    "Expected true or false for verified_email but found the text 'yes' at line 1, column 18",
  ],
  [
    "orders_count > 2.5",
    "wrong_value_type",
    1,
    16,
    "orders_count is a whole number; 2.5 has decimals at line 1, column 16",
  ],
  [
    "lifecycle_stage IN ('lapsing', 'Lost')",
    "value_not_allowed",
    1,
    32,
    "'Lost' is not a value of lifecycle_stage (did you mean 'lost'?); allowed values are 'prospect', 'new', 'active', 'loyal', 'at_risk', 'lapsing', 'lost', 'reactivated' at line 1, column 32",
  ],
  [
    "first_order_at > '2025-02-30'",
    "invalid_date",
    1,
    18,
    "'2025-02-30' is not a date; write dates as 'YYYY-MM-DD' at line 1, column 18",
  ],
  [
    "r_score = 6",
    "value_out_of_range",
    1,
    11,
    "r_score is between 1 and 5; 6 is outside that range at line 1, column 11",
  ],
  [
    "orders_count BETWEEN 5 AND 1",
    "value_out_of_range",
    1,
    22,
    "The BETWEEN bounds are reversed: 5 is greater than 1 at line 1, column 22",
  ],
  [
    "aov > 1234567890123456",
    "value_out_of_range",
    1,
    7,
    "1234567890123456 has more than 15 significant digits at line 1, column 7",
  ],
  [
    "has_purchased_product()",
    "invalid_argument",
    1,
    1,
    "has_purchased_product takes 1 argument but was given 0; write has_purchased_product(product_id, within_days: ...) at line 1, column 1",
  ],
  [
    "has_purchased_product(1, days: 3)",
    "invalid_argument",
    1,
    26,
    "has_purchased_product has no option 'days'; it accepts within_days at line 1, column 26",
  ],
  [
    "has_purchased_product(1, within_days: 3, within_days: 4)",
    "invalid_argument",
    1,
    42,
    "within_days is given twice at line 1, column 42",
  ],
  [
    "has_purchased_product(9223372036854775808)",
    "value_out_of_range",
    1,
    23,
    "9223372036854775808 is not a valid product_id; ids are positive whole numbers at line 1, column 23",
  ],
];

describe("segment errors", () => {
  it.each(SYNTAX_ERRORS)("%j is a syntax error", (text, code, line, column, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(SegmentSyntaxError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code, position: { line, column }, message });
    expect((error as SegmentSyntaxError).expected).not.toBe("");
  });

  it.each(TYPE_ERRORS)("%j is a type error", (text, code, line, column, message) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(SegmentTypeError);
    expect(error).toMatchObject({ code, position: { line, column }, message });
  });

  it("says what was expected", () => {
    expect(errorOf("days_since_last_order >")).toMatchObject({ expected: "a value" });
    expect(errorOf("rfm_segment = 'x'")).toMatchObject({
      expected: expect.stringContaining("'at_risk'"),
    });
    expect(errorOf("order_count > 1")).toMatchObject({ suggestion: "orders_count" });
  });

  it("counts offsets and lines from the start of the text", () => {
    expect(errorOf("email IS NULL AND\n\n  aov >> 1")).toMatchObject({
      position: { offset: 26, line: 3, column: 8 },
    });
  });

  it("rejects text over 4,000 characters", () => {
    const text = `email = '${"x".repeat(3991)}'`;
    expect(errorOf(text)).toMatchObject({
      code: "too_long",
      position: { offset: 4000 },
      message:
        "The segment expression is 4001 characters long; at most 4000 are allowed at line 1, column 4001",
    });
  });

  it("rejects more than 32 levels of parentheses or NOT", () => {
    const ok = `${"(".repeat(32)}email IS NULL${")".repeat(32)}`;
    expect(() => parseSegment(ok)).not.toThrow();
    expect(errorOf(`${"(".repeat(33)}email IS NULL${")".repeat(33)}`)).toMatchObject({
      code: "too_deep",
      position: { column: 33 },
    });
    expect(errorOf(`${"NOT ".repeat(33)}email IS NULL`)).toMatchObject({
      code: "too_deep",
      position: { column: 129 },
    });
  });

  it("rejects more than 100 conditions", () => {
    const conditions = (count: number) =>
      Array.from({ length: count }, () => "email IS NULL").join(" OR ");
    expect(() => parseSegment(conditions(100))).not.toThrow();
    expect(errorOf(conditions(101))).toMatchObject({
      code: "too_many_conditions",
      position: { column: 100 * "email IS NULL OR ".length + 1 },
      message: "A segment can have at most 100 conditions at line 1, column 1701",
    });
  });
});
