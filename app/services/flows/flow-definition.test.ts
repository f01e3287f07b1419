import { describe, expect, it } from "vitest";
import {
  flowStepsSchema,
  flowTriggerCheckedSchema,
  insertBranch,
  removeBranch,
  type FlowStep,
} from "./flow-definition";

const email = (subject: string): FlowStep => ({ kind: "email", subject, body: "Hi" });
const clicked = { type: "engaged_with_flow", action: "clicked" } as const;

describe("flow definitions the editor makes", () => {
  it("GIVEN waits of minutes WHEN checked THEN a minute or more passes and no time at all does not", () => {
    const wait = (hours: number, minutes?: number): FlowStep[] => [
      { kind: "wait", hours, minutes },
      email("A"),
    ];
    expect(flowStepsSchema.safeParse(wait(0, 5)).success).toBe(true);
    expect(flowStepsSchema.safeParse(wait(2)).success).toBe(true);
    expect(flowStepsSchema.safeParse(wait(0, 0)).success).toBe(false);
    expect(flowStepsSchema.safeParse(wait(0, 60)).success).toBe(false);
  });

  it("GIVEN a wait until a time of the shop's day WHEN checked THEN an hour with or without minutes passes and a time off the clock does not", () => {
    const until = (hour: number, minute?: number): FlowStep[] => [
      { kind: "wait_until", hour, minute },
      email("A"),
    ];
    expect(flowStepsSchema.safeParse(until(10)).success).toBe(true);
    expect(flowStepsSchema.safeParse(until(9, 45)).success).toBe(true);
    expect(flowStepsSchema.safeParse(until(9, 60)).success).toBe(false);
    expect(flowStepsSchema.safeParse(until(24, 0)).success).toBe(false);
  });

  it("GIVEN an abandoned-checkout delay WHEN checked THEN minutes count and zero in all is refused", () => {
    const checkout = (afterHours: number, afterMinutes?: number) =>
      flowTriggerCheckedSchema.safeParse({ type: "checkout_abandoned", afterHours, afterMinutes })
        .success;
    expect(checkout(0, 1)).toBe(true);
    expect(checkout(4)).toBe(true);
    expect(checkout(0, 0)).toBe(false);
    expect(checkout(0)).toBe(false);
  });

  it("GIVEN steps with a branch WHEN a branch is inserted before step 2 and removed again THEN every branch keeps pointing at the same steps", () => {
    const steps: FlowStep[] = [
      { kind: "condition", condition: { type: "ordered_since_entry" }, ifTrue: "exit", ifFalse: 2 },
      email("A"),
      email("B"),
    ];
    const inserted = insertBranch(steps, 2, clicked);
    expect(inserted).toEqual([
      { kind: "condition", condition: { type: "ordered_since_entry" }, ifTrue: "exit", ifFalse: 3 },
      email("A"),
      { kind: "condition", condition: clicked, ifTrue: 3, ifFalse: "exit" },
      email("B"),
    ]);
    expect(flowStepsSchema.safeParse(inserted).success).toBe(true);
    expect(removeBranch(inserted, 2)).toEqual(steps);
  });
});
