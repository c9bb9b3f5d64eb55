// Parses HCL2 files with npm's @cdktf/hcl2json (HashiCorp's hcl parser compiled to WebAssembly)
// and prints one JSON object: {"FILE": {"json": <the file as JSON>} or {"error": "<message>"}}.
// Usage: node hcl2json-parse.js <directory of the @cdktf/hcl2json package> FILE...
'use strict';
const fs = require('fs');
const { parse } = require(process.argv[2]);

(async () => {
  const result = {};
  for (const file of process.argv.slice(3)) {
    try {
      result[file] = { json: await parse(file, fs.readFileSync(file, 'utf8')) };
    } catch (e) {
      result[file] = { error: String(e && e.message ? e.message : e) };
    }
  }
  process.stdout.write(JSON.stringify(result));
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(2);
});
