/** "a, b,,c " → ["a", "b", "c"]: comma-separated text as trimmed, non-empty items. */
export function commaSeparated(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
