/**
 * A segment rule's problem in the merchant's words: the error's code picks the sentence, and a
 * typed rule also says where (line and column); the language's own English text never shows.
 */
import type { TFunction } from "i18next";
import { message, type Message } from "~/i18n/message";
import type { SegmentError } from "~/services/segments/language";

export function segmentErrorMessage(error: SegmentError): Message {
  return error.position
    ? message(`segmentErrors.${error.code}`, {
        line: error.position.line,
        column: error.position.column,
      })
    : message(`segmentErrors.${error.code}`);
}

/** The sentence, then where it went wrong when the rule was typed. */
export function segmentErrorText(t: TFunction, problem: Message): string {
  const text = t(problem.key);
  const { line, column } = problem.values ?? {};
  return line === undefined ? text : `${text} ${t("segmentErrors.where", { line, column })}`;
}
