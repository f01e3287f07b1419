/**
 * Applies a batch in one transaction and, when that fails because of the data, finds the
 * poison items by bisection: each half is tried on its own, the halves that apply are kept,
 * and the search narrows until the items that fail alone are known. One bad event in 500
 * costs about 2 × 500 item-applications (plus log2(500) failed attempts) instead of the
 * batch. A failure of the database itself (connection lost, deadlock, shutdown) says nothing
 * about the items, so the part that hit it is handed back for a later retry as a whole.
 */
export interface IsolationHandlers<T> {
  /** Applies the items in one transaction; throws when it rolled back. */
  apply(items: readonly T[]): Promise<void>;
  /** An item that fails on its own for a reason other than the database being unavailable. */
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
    if (isTransientDatabaseError(error)) return handlers.transient(items, error);
    const [only] = items;
    if (items.length === 1 && only !== undefined) return handlers.poison(only, error);
  }
  const middle = Math.ceil(items.length / 2);
  await applyIsolatingFailures(items.slice(0, middle), handlers);
  await applyIsolatingFailures(items.slice(middle), handlers);
}

/**
 * SQLSTATE classes of failures that are the database's, not the data's: 08 connection, 40
 * rollback (serialization, deadlock), 53 insufficient resources, 57 operator intervention
 * (shutdown, cancel), 58 system error, and 55P03 lock not available; plus a socket that died.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)|^55P03$/;
const TRANSIENT_SOCKET = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/;

export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SOCKET.test(code))) {
    return true;
  }
  // pg reports a connection closed mid-query without a code.
  return /Connection terminated|connection is closed|Client has encountered a connection error/i.test(
    error.message,
  );
}
