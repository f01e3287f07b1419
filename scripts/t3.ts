import { PGlite } from "@electric-sql/pglite";
import { readMigrations } from "~/lib/migrations.server";
const dir = process.argv[2];
let t = performance.now();
const lap = (l: string) => { const n = performance.now(); console.log(l, (n - t).toFixed(0)); t = n; };
const db = dir === "memory" ? new PGlite() : new PGlite(dir);
await db.waitReady; lap("open");
for (const m of await readMigrations()) { await db.exec(`BEGIN;\n${m.sql}\n;COMMIT;`); lap(m.name.slice(15)); }
await db.close(); lap("close");
