import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./shared-data";

const ROUTES_FOLDER = path.join(REPO_ROOT, "app/routes");

/**
 * Every route module of the embedded admin (app/routes/app.*.tsx) as a URL path with its
 * parameters (`/app/customers/$id`), sorted; with `pagesOnly`, only those that render something
 * (a default export; the others are data endpoints). Read from the files, so a new route is
 * covered without a list to update. Names follow Remix's flat routes: dots are slashes,
 * `_index` is the folder itself, a trailing `_` leaves the parent's layout.
 */
export function adminRoutePaths({ pagesOnly = false } = {}): string[] {
  return readdirSync(ROUTES_FOLDER)
    .filter((file) => /^app\..+\.tsx$/.test(file))
    .filter(
      (file) =>
        !pagesOnly ||
        /^export default /m.test(readFileSync(path.join(ROUTES_FOLDER, file), "utf8")),
    )
    .map(
      (file) =>
        "/" +
        file
          .replace(/\.tsx$/, "")
          .split(".")
          .filter((segment) => segment !== "_index")
          .map((segment) => segment.replace(/_$/, ""))
          .join("/"),
    )
    .sort();
}
