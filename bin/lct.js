#!/usr/bin/env node
"use strict";
// Runs the CLI from compiled output when present (published package), else from the
// TypeScript sources through tsx (a git checkout needs no build step). tsx's main entry
// registers both hooks: require() for static imports, the ESM loader for commands' `import()`.
const fs = require("node:fs");
const path = require("node:path");
const compiled = path.join(__dirname, "..", "dist", "sdk", "cli", "main.js");
if (fs.existsSync(compiled)) {
    require(compiled).main(process.argv);
} else {
    import("tsx").then(() => require(path.join(__dirname, "..", "sdk", "cli", "main.ts")).main(process.argv));
}
