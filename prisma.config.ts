import pg from "pg";
import { defineConfig } from "prisma/config";
import { connectDatabase } from "./app/lib/database-adapter.server";

// Prisma's migrate engine reads catalog columns of type `name` (OID 19), which adapter-pg 6.x
// cannot deserialize (prisma/orm#27403: "Column type 'name' could not be deserialized").
// Report them as text (OID 25) for the CLI only; the app never reads `name` columns.
const NAME_OID = 19;
const TEXT_OID = 25;
type FieldDescription = { dataTypeID: number };
// addFields is internal to pg and absent from its type declarations.
const resultPrototype = pg.Result.prototype as unknown as {
  addFields(this: unknown, fields: FieldDescription[]): void;
};
const addFields = resultPrototype.addFields;
resultPrototype.addFields = function (fieldDescriptions) {
  for (const field of fieldDescriptions) {
    if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
  }
  return addFields.call(this, fieldDescriptions);
};

const settings = {
  databaseUrl: process.env.DATABASE_URL,
  pgliteDataDir: process.env.PGLITE_DATA_DIR,
};

// The CLI insists on a PostgreSQL-shaped datasource URL (without one it tries to download a
// query engine). On the embedded default there is no server, so it gets a placeholder; the
// connection itself always comes from the driver adapter below.
process.env.DATABASE_URL ||= "postgresql://embedded-pglite/rekindle";

// The CLI (generate, migrate deploy, migrate diff) uses the app's own driver adapter, so it
// runs offline against PGlite or PostgreSQL alike.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => connectDatabase(settings).adapter,
});
