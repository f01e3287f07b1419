/**
 * A schema's complaint about one field, as a sentence the merchant can act on: a `fieldErrors.*`
 * key and its values, translated by the page. Zod's own wording ("Too small: expected number to
 * be >=1") never reaches the screen. A schema that needs its own sentence gives a
 * `fieldErrors.*` key as its message, or `fieldKey(key, values)` when the sentence has values.
 */
import type { z } from "zod";
import { message, type Message } from "./message";

const OWN_KEY = /^fieldErrors\.[A-Za-z0-9]+$/;
const KEYED = '{"key":"fieldErrors.';

/** A schema's own sentence with values, carried as its zod message. */
export function fieldKey(key: `fieldErrors.${string}`, values: Message["values"]): string {
  return JSON.stringify(message(key, values));
}

function limit(value: number | bigint): number {
  return Number(value);
}

export function fieldMessage(issue: z.core.$ZodIssue): Message {
  if (OWN_KEY.test(issue.message)) return message(issue.message);
  if (issue.message.startsWith(KEYED)) return JSON.parse(issue.message) as Message;
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return message("fieldErrors.wholeNumber");
      if (issue.expected === "number") return message("fieldErrors.number");
      return message("fieldErrors.required");
    case "too_small": {
      const min = limit(issue.minimum);
      if (issue.origin === "string") {
        return min <= 1
          ? message("fieldErrors.required")
          : message("fieldErrors.tooShort", { min });
      }
      if (issue.origin === "array" || issue.origin === "set") {
        return message("fieldErrors.chooseAtLeast", { count: min });
      }
      return message(issue.inclusive ? "fieldErrors.atLeast" : "fieldErrors.moreThan", { min });
    }
    case "too_big": {
      const max = limit(issue.maximum);
      if (issue.origin === "string") return message("fieldErrors.tooLong", { max });
      if (issue.origin === "array" || issue.origin === "set") {
        return message("fieldErrors.atMostItems", { count: max });
      }
      return message(issue.inclusive ? "fieldErrors.atMost" : "fieldErrors.lessThan", { max });
    }
    case "invalid_format":
      if (issue.format === "email") return message("fieldErrors.email");
      if (issue.format === "url") return message("fieldErrors.url");
      return message("fieldErrors.format");
    case "invalid_value":
    case "invalid_union":
      return message("fieldErrors.chooseOption");
    default:
      return message("fieldErrors.invalid");
  }
}

/** Every issue's sentence by its dotted path (the first issue per field wins). */
export function fieldMessages(
  issues: readonly z.core.$ZodIssue[],
  whole = "form",
): Record<string, Message> {
  const errors: Record<string, Message> = {};
  for (const issue of issues) {
    errors[issue.path.map(String).join(".") || whole] ??= fieldMessage(issue);
  }
  return errors;
}
