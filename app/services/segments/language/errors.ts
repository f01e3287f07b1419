import { InvalidInputError } from "~/lib/errors";

/** A place in the expression text: `offset` counts UTF-16 units from 0, line and column from 1. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
}

/** Every reason a rule can be refused; pages word each one by its code. */
export const SEGMENT_ERROR_CODES = [
  "empty_input",
  "too_long",
  "too_deep",
  "too_many_conditions",
  "unexpected_character",
  "unterminated_string",
  "invalid_number",
  "unexpected_token",
  "unknown_field",
  "unknown_function",
  "operator_not_allowed",
  "wrong_value_type",
  "value_not_allowed",
  "invalid_date",
  "value_out_of_range",
  "invalid_argument",
  "invalid_tree",
] as const;

export type SegmentErrorCode = (typeof SEGMENT_ERROR_CODES)[number];

/**
 * A segment expression a merchant wrote (or the builder assembled) cannot be used. The
 * message ends with the place it went wrong, e.g.
 * `Expected a value after '>' at line 1, column 24`; `description` is the same without it.
 */
export abstract class SegmentError extends InvalidInputError {
  constructor(
    override readonly code: SegmentErrorCode,
    readonly description: string,
    /** What would have been accepted at `position`, e.g. "a value" or "one of 'new', 'lost'". */
    readonly expected: string,
    readonly position: SourcePosition | undefined,
    /** For unknown names: the nearest known name. */
    readonly suggestion?: string,
  ) {
    super(
      position ? `${description} at line ${position.line}, column ${position.column}` : description,
    );
  }
}

/** The text is not a well-formed expression. */
export class SegmentSyntaxError extends SegmentError {
  declare readonly position: SourcePosition;

  constructor(
    code: SegmentErrorCode,
    description: string,
    expected: string,
    position: SourcePosition,
  ) {
    super(code, description, expected, position);
  }
}

/**
 * The expression is well formed but does not fit the field catalog. `position` is undefined
 * only for trees that were built directly rather than parsed from text.
 */
export class SegmentTypeError extends SegmentError {}

export function positionAt(source: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < source.length; index++) {
    if (source[index] === "\n") {
      line++;
      lineStart = index + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
