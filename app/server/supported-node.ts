/** The oldest Node the app runs on: the Shopify libraries need 22. */
export const MINIMUM_NODE_MAJOR = 22;

/** Why this Node cannot run the app, in one line, or null when it can. */
export function unsupportedNodeReason(version: string): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
  if (major >= MINIMUM_NODE_MAJOR) return null;
  return (
    `Rekindle needs Node.js ${MINIMUM_NODE_MAJOR} or newer (this is ${version}); ` +
    "run it through npm (npm start, npm run dev, npm run demo), which uses the project's own Node 22"
  );
}
