/**
 * Applies a batch in one transaction and, when that fails because of the data, finds the
 * poison items by bisection: each half is tried on its own, the halves that apply are kept,
 * and the search narrows until the items that fail alone are known. One bad event in 500
 * costs about 2 × 500 item-applications (plus log2(500) failed attempts) instead of the
 * batch. Only a failure that is about the data (isDataError) starts the search: any other
 * (connection lost, deadlock, shutdown, timeout) says nothing about the items, so the part
 * that hit it is handed back for a later retry as a whole, and nothing is dead-lettered for
 * the database's trouble.
 */
export interface IsolationHandlers<T> {
  /** Applies the items in one transaction; throws when it rolled back. */
  apply(items: readonly T[]): Promise<void>;
  /** An item that fails on its own because of its data. */
  poison(item: T, error: unknown): Promise<void>;
  /** Items that met a transient database failure: retry them later. */
  transient(items: readonly T[], error: unknown): Promise<void>;
}

export async function applyIsolatingFailures<T>(
  items: readonly T[],
  handlers: IsolationHandlers<T>,
): Promise<void> {
  if (items.length === 0) return;
  try {
    await handlers.apply(items);
    return;
  } catch (error) {
    if (!isDataError(error)) return handlers.transient(items, error);
    const [only] = items;
    if (items.length === 1 && only !== undefined) return handlers.poison(only, error);
  }
  const middle = Math.ceil(items.length / 2);
  await applyIsolatingFailures(items.slice(0, middle), handlers);
  await applyIsolatingFailures(items.slice(middle), handlers);
}

/**
 * A failure caused by the values written: SQLSTATE class 21 (cardinality: one statement would
 * write a row twice), 22 (data exception: out of range, invalid text or date) or 23 (integrity:
 * a constraint refused the row), or our own code tripping on a value (TypeError, RangeError).
 * Applying the same items again fails the same way.
 */
export function isDataError(error: unknown): boolean {
  if (error instanceof TypeError || error instanceof RangeError) return true;
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" && /^(21|22|23)[0-9A-Z]{3}$/.test(code);
}
