/** Bounds that keep parsing, checking and the generated SQL small and predictable. */
export const SEGMENT_LIMITS = {
  maxLength: 4000,
  /** Open parentheses and NOTs around any one condition. */
  maxDepth: 32,
  maxConditions: 100,
} as const;
