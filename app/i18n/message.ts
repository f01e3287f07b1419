/**
 * A sentence an action answers with, as a translation key and its values. The page turns it into
 * text in the merchant's language: the embedded admin's later requests no longer carry Shopify's
 * `locale` parameter, so only the page knows the language.
 */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

export const message = (key: string, values?: Message["values"]): Message =>
  values ? { key, values } : { key };

/** Whether a stored value (JSON from a row) is a Message. */
export const isMessage = (value: unknown): value is Message =>
  typeof value === "object" && value !== null && typeof (value as Message).key === "string";
