// What may import what (docs/architecture.md): ESLint's no-restricted-imports, one block per
// part of the app, each forbidding the parts it must not reach. Matching is on the import
// string, so both `~/services/x/…` and relative paths into another part are caught.

/** Which capabilities each capability builds on (an arrow from user to used). */
export const CAPABILITY_USES = {
  shopify: [],
  analytics: [],
  privacy: [],
  billing: ["shopify"],
  email: ["recommendations", "billing", "shopify"],
  webhooks: ["shopify", "billing"],
  segments: ["analytics", "shopify"],
  recommendations: ["analytics", "shopify", "behaviour"],
  winback: ["analytics", "segments", "email", "shopify", "billing", "behaviour"],
  storefront: ["recommendations", "winback", "analytics", "billing", "behaviour"],
  sync: ["analytics", "privacy", "webhooks", "shopify"],
  onboarding: ["sync", "email", "shopify"],
  behaviour: ["shopify"],
  flows: ["analytics", "email", "shopify", "billing", "winback", "behaviour"],
};

const CAPABILITIES = Object.keys(CAPABILITY_USES);
const under = (folder) => [
  `~/${folder}`,
  `~/${folder}/**`,
  `**/app/${folder}`,
  `**/app/${folder}/**`,
];
const capability = (name) => [`~/services/${name}/**`, `**/services/${name}/**`, `../${name}/**`];
const FRAMEWORK = ["@remix-run/*", "@shopify/shopify-app-remix", "@shopify/shopify-app-remix/*"];
const APP_OBJECT = ["~/shopify.server", "**/shopify.server"];
const DATABASE = ["~/db.server", "**/db.server"];
/** Every part of the app that knows the product: what plumbing (lib) and texts (i18n) never import. */
const PRODUCT_PARTS = [
  "services",
  "routes",
  "components",
  "jobs",
  "server",
  "models",
  "storefront",
].map(under);

const rule = (groups, message) => [
  "error",
  { patterns: [{ group: groups.flat(), message, allowTypeImports: false }] },
];

export const boundaries = [
  {
    files: ["app/lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": rule(
        [...PRODUCT_PARTS, DATABASE, APP_OBJECT, FRAMEWORK],
        "app/lib is plumbing with no product knowledge: it imports only app/lib (docs/architecture.md).",
      ),
    },
  },
  ...CAPABILITIES.map((name) => ({
    files: [`app/services/${name}/**/*.{ts,tsx}`],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": rule(
        [
          ...CAPABILITIES.filter(
            (other) => other !== name && !CAPABILITY_USES[name].includes(other),
          ).map(capability),
          ...["routes", "components", "jobs", "server"].map(under),
          APP_OBJECT,
          FRAMEWORK,
        ],
        `services/${name} may use ${CAPABILITY_USES[name].join(", ") || "no other capability"}, ` +
          "lib and the database; never routes, components, jobs, the server, the Shopify app " +
          "object or the web framework (docs/architecture.md).",
      ),
    },
  })),
  {
    files: ["app/jobs/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": rule(
        [...["routes", "components", "server"].map(under), FRAMEWORK],
        "Jobs call capabilities; they never reach routes, components, the server or the web framework.",
      ),
    },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                ...under("routes"),
                ...under("jobs"),
                ...under("server"),
                ...DATABASE,
                ...APP_OBJECT,
              ],
              message: "Components are browser code: no routes, jobs, server or database.",
            },
            {
              group: ["**/*.server"],
              allowTypeImports: true,
              message: "Components run in the browser: import only types from *.server modules.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["app/i18n/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": rule(
        [...PRODUCT_PARTS, DATABASE, APP_OBJECT],
        "app/i18n holds the admin's languages and texts: it imports only app/lib (docs/architecture.md).",
      ),
    },
  },
  {
    files: ["app/storefront/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": rule(
        [
          ...["services", "routes", "components", "jobs", "server", "models"].map(under),
          DATABASE,
          APP_OBJECT,
          FRAMEWORK,
          ["**/*.server"],
        ],
        "Storefront scripts run on the shop's pages: only their own code and app/lib's pure modules.",
      ),
    },
  },
];
