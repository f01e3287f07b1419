import { readFileSync } from "node:fs";

/** Who a personal column is about: a customer (`/// @pii`) or the merchant (`/// @pii merchant`). */
export type PiiSubject = "customer" | "merchant";

export interface PiiColumn {
  model: string;
  table: string;
  column: string;
  subject: PiiSubject;
}

/**
 * The columns prisma/schema.prisma marks `/// @pii`, with their database names (`@@map`,
 * `@map`). A doc comment belongs to the field on the line after it.
 */
export function schemaPiiColumns(schemaPath = "prisma/schema.prisma"): PiiColumn[] {
  const found: PiiColumn[] = [];
  let model: { name: string; table: string; fields: Omit<PiiColumn, "model" | "table">[] } | null =
    null;
  let marked: PiiSubject | null = null;
  for (const line of readFileSync(schemaPath, "utf8").split("\n")) {
    const text = line.trim();
    const start = /^model (\w+) \{/.exec(text);
    if (start?.[1]) {
      model = { name: start[1], table: start[1], fields: [] };
      continue;
    }
    if (!model) continue;
    if (text === "}") {
      for (const field of model.fields)
        found.push({ model: model.name, table: model.table, ...field });
      model = null;
      continue;
    }
    const pii = /^\/\/\/.*@pii\b\s*(\w+)?/.exec(text);
    if (pii) {
      marked = pii[1] === "merchant" ? "merchant" : "customer";
      continue;
    }
    if (text.startsWith("///")) continue;
    const map = /^@@map\("([^"]+)"\)/.exec(text);
    if (map?.[1]) model.table = map[1];
    const field = /^(\w+)\s+\S+/.exec(text);
    if (field?.[1] && !text.startsWith("@@") && marked) {
      const column = /@map\("([^"]+)"\)/.exec(text)?.[1] ?? field[1];
      model.fields.push({ column, subject: marked });
    }
    marked = null;
  }
  return found;
}
