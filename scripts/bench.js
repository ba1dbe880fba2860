#!/usr/bin/env node
// `npm run bench [-- <part> ...]`: compiles bench/ (and the sources it imports) into dist-bench/
// with bench/tsconfig.json, then runs the selected parts. Not part of `npm test`.
"use strict";
const { execFileSync } = require("node:child_process");
const { copyFileSync } = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(root, "bench", "tsconfig.json")], {
    stdio: "inherit",
});
// src/core/userAgent.ts reads ../../package.json relative to its compiled file.
copyFileSync(path.join(root, "package.json"), path.join(root, "dist-bench", "package.json"));
require(path.join(root, "dist-bench", "bench", "run.js"));
