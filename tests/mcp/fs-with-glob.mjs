// Node 20 has no fs.globSync; the MCP conformance suite imports it. This module is `fs` plus
// the glob package's globSync, served to the suite by node20-hooks.mjs.
export * from "node:fs";
export { default } from "node:fs";
export { globSync } from "glob";
