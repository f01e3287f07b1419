/**
 * A WITH item, `async_commit` (one row), that turns synchronous_commit off for the transaction
 * of the statement reading it: a statement run on its own then commits without waiting for the
 * WAL flush (PostgreSQL reads the setting at commit, before resetting it), milliseconds less on
 * an ordinary disk. Only for statements whose commit may be lost in a crash without harm,
 * because the work is redone. The statement must read the row whatever else it finds.
 */
export const ASYNC_COMMIT = `async_commit AS MATERIALIZED (
       SELECT set_config('synchronous_commit', 'off', true) AS synchronous_commit)`;
