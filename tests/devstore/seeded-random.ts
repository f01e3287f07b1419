/** The one seeded generator, shared with the app (fault injection, generated stores). */
export { seededRandom } from "../../app/lib/seeded-random";
