import ts from "typescript";

export interface SqlText {
  line: number;
  /** The literal's text, each `${…}` hole replaced by `$?`. */
  text: string;
}

/**
 * Every string and template literal of a TypeScript source, as the text it contributes to a
 * query. A statement is written as one literal here (the raw SQL convention of app/), so a
 * literal is the unit a check reads; comments are not literals and are skipped.
 */
export function stringLiterals(fileName: string, source: string): SqlText[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: SqlText[] = [];
  const visit = (node: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    if (ts.isTemplateExpression(node)) {
      text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join("$?");
    }
    if (text !== undefined) {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push({ line: line + 1, text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Each mention of a table of `tables` as one a statement reads or writes (after FROM, JOIN,
 * UPDATE, INTO or USING), quoted or not, in order: a table named twice counts twice. The
 * keywords are matched in capitals, as app/ writes SQL (lowerCaseStatement keeps it so), so
 * prose such as "Has purchased from collection" is not read as a query.
 */
export function tableMentions(sql: string, tables: ReadonlySet<string>): string[] {
  return [...sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO|USING)\s+"?([a-z_][a-z0-9_]*)"?/g)]
    .map((match) => match[1]?.toLowerCase() ?? "")
    .filter((table) => tables.has(table));
}

/**
 * Whether a literal is a statement written with lower-case keywords (`select … from`,
 * `update … set`, `insert into`, `delete from`), which tableMentions would not read.
 */
export const lowerCaseStatement = (text: string): boolean =>
  /^\s*(?:select\b[\s\S]*\bfrom\b|update\s+"?\w+"?\s+set\b|insert\s+into\b|delete\s+from\b)/.test(
    text,
  );
