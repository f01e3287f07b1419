import type { Message } from "~/i18n/message";
import { message } from "~/i18n/message";
import { parseStorableId } from "~/lib/shopify-id";
import { parseShopifyTimestamp } from "./shopify-timestamp";

/**
 * Reads a webhook body field by field, tolerantly. Real stores send bodies that differ from
 * Shopify's documented examples (a currency that is not a code, a date with a space, nulls
 * where a value is usual), and one odd optional field must not cost the whole record: such a
 * field is dropped and reported as a FieldWarning naming it. Only what a record cannot exist
 * without (its id, a required link) throws UnusableRecordError, whose reason the merchant reads
 * in their language and whose message support reads.
 */
export interface FieldWarning {
  /** Path in the body, e.g. `line_items[2].product_id`. */
  field: string;
  /** The offending value, shortened. */
  value: string;
  /** What is wrong, in plain words. */
  problem: string;
}

export class UnusableRecordError extends Error {
  constructor(
    /** What is wrong and with which value, in English for logs and support. */
    detail: string,
    readonly field: string,
    /** The same for the merchant: a deadReasons.* key and its values, worded by the admin. */
    readonly reason: Message,
  ) {
    super(detail);
  }
}

const MONEY = /^-?\d{1,16}(\.\d+)?$/;
const GID = /^gid:\/\/shopify\/\w+\/(\d+)(\?.*)?$/;
const MAX_COUNT = 1_000_000;
const MAX_INT = 2 ** 31 - 1;

/** Exact 64-bit id from a digit string, a safe integer or a Shopify GID; null if not storable. */
function parseShopifyId(value: unknown): bigint | null {
  if (typeof value === "number")
    return Number.isSafeInteger(value) ? parseStorableId(String(value)) : null;
  if (typeof value !== "string") return null;
  return parseStorableId(GID.exec(value)?.[1] ?? value);
}

function shownValue(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export class BodyReader {
  private constructor(
    private readonly body: Record<string, unknown>,
    /** Whose fields these are, as the merchant reads it: "order's", "order's line item". */
    private readonly owner: string,
    private readonly warnings: FieldWarning[],
    private readonly path: string,
  ) {}

  /** A reader over a top-level body; a body that is not an object is unusable. */
  static of(body: unknown, noun: string, warnings: FieldWarning[]): BodyReader {
    if (!isObject(body)) {
      throw new UnusableRecordError(
        `This update doesn't contain a Shopify ${noun}.`,
        "",
        message("deadReasons.notARecord"),
      );
    }
    return new BodyReader(body, `${noun}'s`, warnings, "");
  }

  private field(key: string) {
    return this.path ? `${this.path}.${key}` : key;
  }

  private raw(key: string): unknown {
    return this.body[key];
  }

  /** Present with a value (not missing, not null). */
  has(key: string): boolean {
    return this.raw(key) !== undefined && this.raw(key) !== null;
  }

  /** For ids, dates, amounts and codes an empty string means "no value", as null does. */
  private hasValue(key: string): boolean {
    return this.has(key) && this.raw(key) !== "";
  }

  /** Records a dropped field; returns null so callers can `return this.drop(...)`. */
  private drop(key: string, problem: string): null {
    this.warnings.push({ field: this.field(key), value: shownValue(this.raw(key)), problem });
    return null;
  }

  private describe(label: string, key: string, what: string) {
    return `The ${this.owner} ${label} '${shownValue(this.raw(key))}' ${what}`;
  }

  /** An id the record cannot exist without: unusable when missing or malformed. */
  requiredId(key: string, label = "id"): bigint {
    const id = parseShopifyId(this.raw(key));
    if (id === null) {
      throw this.has(key)
        ? new UnusableRecordError(
            this.describe(label, key, "isn't a Shopify id Rekindle can store."),
            this.field(key),
            message("deadReasons.idUnusable", { value: shownValue(this.raw(key)) }),
          )
        : new UnusableRecordError(
            `The ${this.owner} ${label} is missing.`,
            this.field(key),
            message("deadReasons.idMissing"),
          );
    }
    return id;
  }

  id(key: string, label: string): bigint | null {
    if (!this.hasValue(key)) return null;
    return (
      parseShopifyId(this.raw(key)) ??
      this.drop(key, this.describe(label, key, "isn't a Shopify id Rekindle can store"))
    );
  }

  timestamp(key: string, label: string): Date | null {
    if (!this.hasValue(key)) return null;
    return (
      parseShopifyTimestamp(this.raw(key)) ??
      this.drop(key, this.describe(label, key, "isn't a date we can read"))
    );
  }

  money(key: string, label: string): string | null {
    if (!this.hasValue(key)) return null;
    const value = this.raw(key);
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text === "string" && MONEY.test(text.trim())) return text.trim();
    return this.drop(key, this.describe(label, key, "isn't an amount we can read"));
  }

  currency(key: string, label = "currency"): string | null {
    if (!this.hasValue(key)) return null;
    const value = this.raw(key);
    if (typeof value === "string" && /^[A-Za-z]{3}$/.test(value.trim())) {
      return value.trim().toUpperCase();
    }
    return this.drop(key, this.describe(label, key, "isn't a currency code"));
  }

  /** Text; numbers and booleans are taken as their text. */
  text(key: string, label: string): string | null {
    if (!this.has(key)) return null;
    const value = this.raw(key);
    if (typeof value === "string") return storableText(value);
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return this.drop(key, this.describe(label, key, "isn't text"));
  }

  flag(key: string, label: string): boolean | null {
    if (!this.hasValue(key)) return null;
    const value = this.raw(key);
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    return this.drop(key, this.describe(label, key, "isn't yes or no"));
  }

  /** A whole number within [min, max] (numeric strings accepted). */
  integer(key: string, label: string, min = -MAX_INT, max = MAX_INT): number | null {
    if (!this.hasValue(key)) return null;
    const value = this.raw(key);
    const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number === "number" && Number.isInteger(number) && number >= min && number <= max) {
      return number;
    }
    return this.drop(key, this.describe(label, key, "isn't a number we can read"));
  }

  count(key: string, label: string): number | null {
    return this.integer(key, label, 0, MAX_COUNT);
  }

  /** Shopify sends tags as one comma-separated string; a list is read too. undefined when absent. */
  tags(key: string, label = "tags"): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (value === null) return [];
    const parts =
      typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : null;
    if (parts === null || parts.some((tag) => typeof tag !== "string")) {
      this.drop(key, this.describe(label, key, "isn't a list of tags"));
      return undefined;
    }
    return (parts as string[]).map((tag) => storableText(tag).trim()).filter(Boolean);
  }

  /** A nested object's reader; null when absent, dropped (with a warning) when not an object. */
  object(key: string, noun: string): BodyReader | null {
    if (!this.has(key)) return null;
    const value = this.raw(key);
    if (!isObject(value)) {
      return this.drop(key, this.describe(noun, key, "isn't in the shape Shopify documents"));
    }
    return new BodyReader(value, `${this.owner} ${noun}`, this.warnings, this.field(key));
  }

  /** A nested object the record needs when present (a customer link): unusable when malformed. */
  requiredObjectWhenPresent(key: string, noun: string): BodyReader | null {
    if (!this.has(key)) return null;
    const value = this.raw(key);
    if (!isObject(value)) {
      throw new UnusableRecordError(
        this.describe(noun, key, "isn't in the shape Shopify documents."),
        this.field(key),
        message("deadReasons.partMalformed", { value: shownValue(value) }),
      );
    }
    return new BodyReader(value, `${this.owner} ${noun}`, this.warnings, this.field(key));
  }

  /**
   * Readers over a list of objects; null when absent. A list that is not one is dropped, and
   * so is an element that is not an object.
   */
  list(key: string, noun: string): BodyReader[] | null {
    if (!this.has(key)) return null;
    const value = this.raw(key);
    if (!Array.isArray(value)) {
      return this.drop(key, this.describe(`${noun}s`, key, "isn't a list"));
    }
    const readers: BodyReader[] = [];
    value.forEach((element, index) => {
      const path = `${this.field(key)}[${index}]`;
      if (isObject(element)) {
        readers.push(new BodyReader(element, `${this.owner} ${noun}`, this.warnings, path));
      } else {
        this.warnings.push({
          field: path,
          value: shownValue(element),
          problem: `A ${noun} of the ${this.owner.replace(/'s$/, "")} isn't in the shape Shopify documents`,
        });
      }
    });
    return readers;
  }

  /**
   * Runs `read` on each element, dropping (with a warning) the elements that are unusable on
   * their own (a line item whose id is malformed) instead of the whole record.
   */
  static each<T>(readers: readonly BodyReader[], read: (reader: BodyReader) => T): T[] {
    const results: T[] = [];
    for (const reader of readers) {
      try {
        results.push(read(reader));
      } catch (error) {
        if (!(error instanceof UnusableRecordError)) throw error;
        reader.warnings.push({ field: error.field, value: "", problem: error.message });
      }
    }
    return results;
  }

  /**
   * `each`, keeping the first element of each id: a record never holds two lines with one id
   * (the database keys them so), and a body that repeats one is read as if it did not.
   */
  static eachUnique<T extends { id: bigint }>(
    readers: readonly BodyReader[],
    read: (reader: BodyReader) => T,
  ): T[] {
    const seen = new Set<bigint>();
    const results: T[] = [];
    for (const reader of readers) {
      const [result] = BodyReader.each([reader], read);
      if (result === undefined) continue;
      if (seen.has(result.id)) {
        reader.warnings.push({
          field: reader.field("id"),
          value: String(result.id),
          problem: `The ${reader.owner} ${result.id} appears twice; only the first is kept`,
        });
        continue;
      }
      seen.add(result.id);
      results.push(result);
    }
    return results;
  }
}

/** PostgreSQL text holds neither NUL characters nor lone UTF-16 surrogates: drop or replace them. */
function storableText(text: string): string {
  return text.replaceAll("\u0000", "").toWellFormed();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
