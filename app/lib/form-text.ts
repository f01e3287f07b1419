/**
 * Text from a form or a query string as the database can store it: PostgreSQL text cannot
 * hold NUL, which no keyboard types but a forged request can send.
 */
export const withoutNul = (text: string) => text.replaceAll("\u0000", "");
