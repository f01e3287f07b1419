/**
 * The packages the server build imports that take longest to load (about 2.5 s of CPU of the
 * app's start on a fresh process, most of it Polaris and React Email; measured one by one with
 * process.cpuUsage). Node loads a package once per process, so importing them while the build
 * still runs takes that time off the start that follows it. A package missing from this list
 * only loads later; one no longer used costs its load.
 */
const HEAVIEST_SERVER_PACKAGES = [
  "@shopify/polaris",
  "@react-email/components",
  "@shopify/polaris-viz",
  "pg-boss",
  "@shopify/shopify-api",
  "@shopify/shopify-app-remix/server",
  "@shopify/shopify-app-remix/react",
  "@remix-run/react",
  "react-dom/server",
];

export async function preloadServerBuildPackages(): Promise<void> {
  for (const name of HEAVIEST_SERVER_PACKAGES) await import(name);
}
