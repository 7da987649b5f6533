// Loads @prisma/schema-engine-wasm without `--experimental-wasm-modules`: the package's
// entry point imports the .wasm file as an ES module, which Node 20 cannot do, so we
// instantiate the module ourselves and hand its exports to the JS glue.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

let loaded;

/** Directory of the installed @prisma/schema-engine-wasm (its exports hide package.json). */
export function schemaEngineWasmDir() {
  return path.dirname(require.resolve("@prisma/schema-engine-wasm"));
}

export function loadSchemaEngineWasm() {
  loaded ??= (async () => {
    const pkgDir = schemaEngineWasmDir();
    const glue = await import(pathToFileURL(path.join(pkgDir, "schema_engine_bg.js")).href);
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start?.();
    return glue;
  })();
  return loaded;
}
