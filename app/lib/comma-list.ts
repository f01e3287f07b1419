import { withoutNul } from "./form-text";

/**
 * "a, b,,c " → ["a", "b", "c"]: comma-separated text from a form as trimmed, non-empty items
 * the database can store.
 */
export function commaSeparated(value: string): string[] {
  return withoutNul(value)
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
