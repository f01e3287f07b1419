import { readFileSync } from "node:fs";

export interface SchemaField {
  name: string;
  column: string;
  /** The field's type as written, e.g. `BigInt`, `String?`, `Order[]`, `Shop`. */
  type: string;
  /** The rest of the line: `@id`, `@unique`, `@relation(...)`, `@map(...)`. */
  attributes: string;
}

export interface SchemaRelation {
  /** The related model's name. */
  model: string;
  fields: string[];
  references: string[];
}

export interface SchemaModel {
  name: string;
  table: string;
  /** The model's `///` doc comment lines, without the slashes. */
  doc: string[];
  fields: SchemaField[];
  /** The primary key's fields (`@id` or `@@id`), in order. */
  primaryKey: string[];
  /** Each unique key's fields (`@unique` or `@@unique`), in order. */
  uniqueKeys: string[][];
  /** The relations this model holds the foreign key of. */
  relations: SchemaRelation[];
}

const list = (text: string | undefined) =>
  (text ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);

/** The models of prisma/schema.prisma with their database names, keys and foreign keys. */
export function schemaModels(schemaPath = "prisma/schema.prisma"): SchemaModel[] {
  const models: SchemaModel[] = [];
  let doc: string[] = [];
  let model: SchemaModel | null = null;
  for (const line of readFileSync(schemaPath, "utf8").split("\n")) {
    const text = line.trim();
    const start = /^model (\w+) \{/.exec(text);
    if (start?.[1]) {
      model = {
        name: start[1],
        table: start[1],
        doc,
        fields: [],
        primaryKey: [],
        uniqueKeys: [],
        relations: [],
      };
      models.push(model);
      continue;
    }
    if (!model) {
      doc = text.startsWith("///") ? [...doc, text.slice(3).trim()] : [];
      continue;
    }
    if (text === "}") {
      model = null;
      doc = [];
      continue;
    }
    if (text.startsWith("//") || text === "") continue;
    const block = /^@@(\w+)\(\[([^\]]*)\]/.exec(text);
    if (block) {
      if (block[1] === "id") model.primaryKey = list(block[2]);
      if (block[1] === "unique") model.uniqueKeys.push(list(block[2]));
      continue;
    }
    const map = /^@@map\("([^"]+)"\)/.exec(text);
    if (map?.[1]) {
      model.table = map[1];
      continue;
    }
    const field = /^(\w+)\s+(\S+)\s*(.*)$/.exec(text);
    if (!field?.[1] || !field[2]) continue;
    const [, name, type, attributes = ""] = field;
    const column = /@map\("([^"]+)"\)/.exec(attributes)?.[1] ?? name;
    model.fields.push({ name, column, type, attributes });
    if (/@id\b/.test(attributes)) model.primaryKey = [name];
    if (/@unique\b/.test(attributes)) model.uniqueKeys.push([name]);
    const relation = /@relation\(.*fields:\s*\[([^\]]*)\].*references:\s*\[([^\]]*)\]/.exec(
      attributes,
    );
    if (relation) {
      model.relations.push({
        model: type.replace(/\?$/, ""),
        fields: list(relation[1]),
        references: list(relation[2]),
      });
    }
  }
  return models;
}
