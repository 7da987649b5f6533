// Registered with `node --import`: the conformance suite's `import … from "fs"` gets fs-with-glob.mjs.
import { register } from "node:module";

const shim = new URL("./fs-with-glob.mjs", import.meta.url).href;
register(
  "data:text/javascript," +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      if ((specifier === "fs" || specifier === "node:fs") && context.parentURL?.includes("@modelcontextprotocol/conformance"))
        return { url: ${JSON.stringify(shim)}, shortCircuit: true };
      return next(specifier, context);
    }`),
);
