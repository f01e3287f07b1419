// Shared test environment: a complete, valid app configuration so modules that read the
// environment at import time load in tests. Individual tests override what they exercise.
process.env.NODE_ENV ??= "test";
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://rekindle.test";
process.env.SCOPES ??= "read_customers,write_customers";
process.env.PGLITE_DATA_DIR ??= "memory";
process.env.LOG_LEVEL ??= "silent";
// The local SMTP sink (tests/helpers/smtp-sink.ts) listens on loopback, which the SSRF guard
// refuses unless named here.
process.env.SMTP_ALLOWED_PRIVATE_HOSTS ??= "127.0.0.1";
