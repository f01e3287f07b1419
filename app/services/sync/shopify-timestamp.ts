/**
 * Shopify's timestamps as real stores send them. Its documentation and some payloads use
 * forms a strict RFC 3339 check refuses ("2019-01-01 00:00:00.000Z" with a space, no seconds,
 * a comma before the fraction, a basic-format offset), so every ISO 8601 calendar form is
 * read here. A time without an offset is taken as UTC. Dates outside 1970–2100 are placeholder
 * or corrupt values (year 9999, 0001) that would poison every date computation downstream,
 * so they count as unreadable.
 */
const ISO_8601 =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[Tt ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const EARLIEST_READABLE = Date.UTC(1970, 0, 1);
const LATEST_READABLE = Date.UTC(2101, 0, 1);

/** The instant a Shopify timestamp names, or null when it is not one we can trust. */
export function parseShopifyTimestamp(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const match = ISO_8601.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = "", zone] =
    match as unknown as string[];
  const numbers = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = numbers;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const millis = Number(`0.${fraction || "0"}`) * 1000;
  const local = Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(millis);
  // Date.UTC rolls 31 February over into March: such a date is not real.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  const instant = local - offsetMinutes(zone) * 60_000;
  if (instant < EARLIEST_READABLE || instant >= LATEST_READABLE) return null;
  return new Date(instant);
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === "Z" || zone === "z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
  return zone.startsWith("-") ? -minutes : minutes;
}
