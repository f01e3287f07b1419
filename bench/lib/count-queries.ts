import pg from "pg";

/**
 * Counts the statements every pg connection of this process sends (the app's pool, the queue's
 * pool, transactions) until `stop`, which returns the count.
 */
export function countQueries(): { stop(): number } {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let count = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  return {
    stop() {
      prototype.query = original;
      return count;
    },
  };
}
