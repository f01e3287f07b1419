import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldKey, fieldMessages } from "./field-message";

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  return fieldMessages(parsed.error.issues);
};

describe("field messages", () => {
  // GIVEN a schema with the kinds of limits the settings forms use
  const schema = z.object({
    days: z.number().int().min(1).max(365),
    share: z.number().min(0).max(50),
    name: z.string().trim().min(1).max(80),
    tags: z.array(z.string()).min(1).max(3),
    kind: z.enum(["a", "b"]),
    prefix: z.string().regex(/^[A-Z]+$/),
    email: z.email(),
    percent: z
      .number()
      .refine((value) => value <= 100, { message: "fieldErrors.percentAtMost100" }),
    perBlock: z.number().max(12, fieldKey("fieldErrors.wholeNumberRange", { min: 1, max: 12 })),
  });

  it("says what each refused field needs, with the schema's limits as values", () => {
    // WHEN every field is wrong
    const errors = issuesOf(schema, {
      days: 1.5,
      share: 60,
      name: " ",
      tags: [],
      kind: "c",
      prefix: "abc",
      email: "not an address",
      percent: 120,
      perBlock: 13,
    });
    // THEN each is a fieldErrors key with its limit, never zod's English
    expect(errors).toEqual({
      days: { key: "fieldErrors.wholeNumber" },
      share: { key: "fieldErrors.atMost", values: { max: 50 } },
      name: { key: "fieldErrors.required" },
      tags: { key: "fieldErrors.chooseAtLeast", values: { count: 1 } },
      kind: { key: "fieldErrors.chooseOption" },
      prefix: { key: "fieldErrors.format" },
      email: { key: "fieldErrors.email" },
      percent: { key: "fieldErrors.percentAtMost100" },
      perBlock: { key: "fieldErrors.wholeNumberRange", values: { min: 1, max: 12 } },
    });
  });

  it("asks for a number when the text is not one, and a lower one past the maximum", () => {
    expect(issuesOf(schema.pick({ days: true }), { days: Number.NaN })).toEqual({
      days: { key: "fieldErrors.number" },
    });
    expect(issuesOf(schema.pick({ days: true }), { days: 0 })).toEqual({
      days: { key: "fieldErrors.atLeast", values: { min: 1 } },
    });
    expect(issuesOf(schema.pick({ name: true }), { name: "x".repeat(81) })).toEqual({
      name: { key: "fieldErrors.tooLong", values: { max: 80 } },
    });
  });
});
