#!/usr/bin/env node
"use strict";
// Runs the CLI from compiled output when present (published package), else from the
// TypeScript sources through tsx (a git checkout needs no build step).
const fs = require("node:fs");
const path = require("node:path");
const compiled = path.join(__dirname, "..", "dist", "sdk", "cli", "main.js");
if (fs.existsSync(compiled)) {
    require(compiled).main(process.argv);
} else {
    require("tsx/cjs");
    require(path.join(__dirname, "..", "sdk", "cli", "main.ts")).main(process.argv);
}
