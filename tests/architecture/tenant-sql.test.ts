import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appSourceFiles } from "../helpers/app-source-files";
import { REPO_ROOT } from "../helpers/shared-data";
import { lowerCaseStatement, stringLiterals, tableMentions } from "../helpers/sql-in-source";
import { isQueueTable, TENANT_MODELS } from "./tenant-tables";

/**
 * Issue 21: every query filters by shop. Prisma calls are checked as they run (app/db.server.ts
 * outside production); the raw SQL beside Prisma is checked here, in the source, so a query no
 * test runs is covered too. Each tenant table a statement reads or writes must come with its
 * own shop_id: a filter (`t.shop_id = $1`), half of a join on it (`a.shop_id = b.shop_id`
 * names it for both sides), or the column of an insert. So a statement names shop_id at least
 * as often as it names tenant tables. On a database distributed by shop that is what makes a
 * query go to one node and a join stay on it. It is a necessary condition read from the text,
 * not a proof; what it cannot see (a shop_id in a comparison that is not an equality) review
 * still has to.
 */

const TENANT_TABLES: ReadonlySet<string> = new Set(TENANT_MODELS.map((model) => model.table));
const QUEUE_TABLES: ReadonlySet<string> = new Set(
  TENANT_MODELS.filter(isQueueTable).map((model) => model.table),
);
/** A queue's claim or settle statement, serving every shop on purpose, with its reason. */
const ACROSS_SHOPS = /\/\*\s*across shops:\s*\S[^*]*\*\//;

/** What a literal lacks: the tenant tables it names beyond its shop_id mentions. */
function unscopedSql(text: string): string | undefined {
  const mentions = tableMentions(text, TENANT_TABLES);
  if (ACROSS_SHOPS.test(text) && mentions.every((table) => QUEUE_TABLES.has(table))) {
    return undefined;
  }
  const shopIds = text.match(/\bshop_id\b/g)?.length ?? 0;
  return mentions.length > shopIds
    ? `names ${mentions.join(", ")} but shop_id ${shopIds} time(s)`
    : undefined;
}

describe("unscopedSql", () => {
  it("finds a statement on a tenant table without shop_id, and a join that loses the shop", () => {
    expect(unscopedSql(`UPDATE winback_rule SET retry_at = NULL WHERE id = $1`)).toBeDefined();
    expect(
      unscopedSql(
        `SELECT 1 FROM winback_target t JOIN winback_rule r ON r.id = t.rule_id WHERE t.shop_id = $1`,
      ),
    ).toBeDefined();
    expect(unscopedSql(`DELETE FROM "order" WHERE id = ANY($1)`)).toBeDefined();
    // Only a queue table's statements may serve every shop, and only when they say why.
    expect(unscopedSql(`UPDATE webhook_inbox SET status = 'done' WHERE id = $1`)).toBeDefined();
    expect(
      unscopedSql(`/* across shops: settle */ UPDATE "order" SET name = '' WHERE id = $1`),
    ).toBeDefined();
    expect(
      unscopedSql(`/* across shops: the claim */ UPDATE webhook_inbox SET x = 1 WHERE id = $1`),
    ).toBe(undefined);
  });

  it("accepts a filtered statement, a join on shop_id, an insert naming it, and other tables", () => {
    expect(unscopedSql(`UPDATE winback_rule SET x = 1 WHERE shop_id = $2 AND id = $1`)).toBe(
      undefined,
    );
    expect(
      unscopedSql(
        `SELECT 1 FROM winback_target t JOIN winback_rule r ON r.shop_id = t.shop_id AND r.id = t.rule_id`,
      ),
    ).toBe(undefined);
    expect(unscopedSql(`INSERT INTO customer_offer (shop_id, code) VALUES ($1, $2)`)).toBe(
      undefined,
    );
    expect(unscopedSql(`SELECT name FROM scheduled_job`)).toBe(undefined);
    expect(unscopedSql(`Pick the customers from the segment`)).toBe(undefined);
    expect(unscopedSql(`Has purchased from collection`)).toBe(undefined);
  });

  it("tells a statement written in lower case from prose", () => {
    expect(lowerCaseStatement(`select id from winback_rule where id = $1`)).toBe(true);
    expect(lowerCaseStatement(`update winback_rule set x = 1`)).toBe(true);
    expect(lowerCaseStatement(`delete from "order"`)).toBe(true);
    expect(lowerCaseStatement(`Has purchased from collection`)).toBe(false);
    expect(lowerCaseStatement(`SELECT id FROM winback_rule`)).toBe(false);
  });
});

describe("raw SQL in app/", () => {
  it("names shop_id for every tenant table each statement touches", () => {
    const files = appSourceFiles();
    expect(files.length).toBeGreaterThan(50);
    const problems = files.flatMap((file) =>
      stringLiterals(file, readFileSync(path.join(REPO_ROOT, file), "utf8")).flatMap(
        ({ line, text }) => {
          const problem = unscopedSql(text);
          return problem ? [`${file}:${line} ${problem}`] : [];
        },
      ),
    );
    expect(problems).toEqual([]);
  });

  it("writes SQL keywords in capitals, so the check above reads every statement", () => {
    const lowerCase = appSourceFiles().flatMap((file) =>
      stringLiterals(file, readFileSync(path.join(REPO_ROOT, file), "utf8"))
        .filter(({ text }) => lowerCaseStatement(text))
        .map(({ line }) => `${file}:${line}`),
    );
    expect(lowerCase).toEqual([]);
  });
});
