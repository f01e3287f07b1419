import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import prettier from "eslint-config-prettier";
import { boundaries } from "./eslint/boundaries.js";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "app/generated/**",
      ".data/**",
      "tests/artifacts/**",
      "extensions/*/assets/**",
      "extensions/*/dist/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "18" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "error",
      // App Bridge's title bar, save bar and modal read these attributes on their buttons and
      // links (typed by @shopify/app-bridge-types).
      "react/no-unknown-property": ["error", { ignore: ["variant", "tone", "loading"] }],
    },
  },
  {
    // Settings are parsed and validated in one place; reading process.env elsewhere would skip
    // that validation. The entry scripts that set the environment for the app are the exception.
    files: ["app/**/*.{ts,tsx}", "scripts/**/*.ts"],
    ignores: [
      "app/lib/env.server.ts",
      "scripts/demo.ts",
      "scripts/server.ts",
      // Sets the mode before anything loads, as scripts/server.ts does.
      "scripts/production-mode.ts",
      "**/*.test.ts",
    ],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read settings through app/lib/env.server.ts (getEnv, databaseEnv, logEnv).",
        },
      ],
    },
  },
  {
    files: ["scripts/**", "tests/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  {
    // Tests walk parsed JSON responses to assert on them; a wrong path fails the assertion.
    files: ["**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  ...boundaries,
  prettier,
);
