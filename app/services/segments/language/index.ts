/**
 * The segment rule language: merchant-written expressions such as
 * `days_since_last_order > 90 AND rfm_segment = 'at_risk'` parsed into a typed tree,
 * checked against the field catalog, compiled to a parameterized SQL WHERE fragment,
 * printed back to canonical text, and evaluated in memory as the reference semantics.
 */
import type { SegmentExpression } from "./ast";
import { checkSegment } from "./check";
import { compileSegmentSql, type CompileOptions, type CompiledSegment } from "./compile-sql";
import { parseSegmentText } from "./parser";

/** Parses and checks merchant text; throws SegmentSyntaxError or SegmentTypeError. */
export function parseSegment(text: string): { ast: SegmentExpression } {
  const { ast, positions } = parseSegmentText(text);
  checkSegment(ast, { text, positions });
  return { ast };
}

/**
 * Checks the tree (it may come from the builder UI rather than the parser) and compiles it.
 * The caller's parameters come first, so by default the fragment starts at `$2`.
 */
export function compileSegment(
  ast: SegmentExpression,
  options: CompileOptions = { firstParamIndex: 2 },
): CompiledSegment {
  checkSegment(ast);
  return compileSegmentSql(ast, options);
}

/** Checks a tree built outside the parser; throws SegmentTypeError without a position. */
export function validateSegment(ast: SegmentExpression): void {
  checkSegment(ast);
}

export type * from "./ast";
export type { CompileOptions, CompiledSegment } from "./compile-sql";
export type { CustomerRecord, EvaluateOptions, PurchasedProduct } from "./evaluate";
export { evaluateSegment } from "./evaluate";
export { printSegment } from "./print";
export { SEGMENT_FIELDS, SEGMENT_FUNCTIONS, findField, findFunction } from "./fields";
export type { FieldDefinition, FieldType, FunctionDefinition } from "./fields";
export { SEGMENT_ERROR_CODES, SegmentError, SegmentSyntaxError, SegmentTypeError } from "./errors";
export type { SegmentErrorCode, SourcePosition } from "./errors";
export { SEGMENT_LIMITS } from "./limits";
