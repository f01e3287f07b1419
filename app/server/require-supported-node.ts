import { unsupportedNodeReason } from "./supported-node";

// Imported first by every entry point: a process on an older Node stops here, before it can
// take a webhook and round an id.
const reason = unsupportedNodeReason(process.version);
if (reason) {
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}
