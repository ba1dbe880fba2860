#!/usr/bin/env node
// `npm run bench [-- <part> ...]`: compiles bench/ (and the sources it imports) into dist-bench/
// with bench/tsconfig.json, then runs the selected parts. Not part of `npm test`.
"use strict";
const { execFileSync } = require("node:child_process");
const {
    existsSync,
    mkdirSync,
    readFileSync,
    realpathSync,
    rmSync,
    symlinkSync,
    writeFileSync,
} = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(root, "bench", "tsconfig.json")], {
    stdio: "inherit",
});
// src/core/userAgent.ts reads ../../package.json relative to its compiled file; the same file
// makes dist-bench a package `pulumi-rollout` whose entry points are dist-bench's own compiled
// sources, and dist-bench/node_modules/pulumi-rollout links to it: the bench stacks' project
// folders are in dist-bench/work/, so their provider processes load the library from here, never
// from dist/ (which other runs may be using).
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const benchPkg = {
    name: pkg.name,
    version: pkg.version,
    main: "src/index.js",
    exports: {
        ".": "./src/index.js",
        "./provider": "./src/provider.js",
        "./sandbox": "./src/sandbox/index.js",
        "./package.json": "./package.json",
    },
};
writeFileSync(path.join(root, "dist-bench", "package.json"), `${JSON.stringify(benchPkg, null, 2)}\n`);
const link = path.join(root, "dist-bench", "node_modules", "pulumi-rollout");
mkdirSync(path.dirname(link), { recursive: true });
try {
    if (realpathSync(link) !== realpathSync(path.join(root, "dist-bench"))) {
        rmSync(link, { recursive: true, force: true });
    }
} catch {
    // missing (or dangling): created below
    rmSync(link, { force: true });
}
if (!existsSync(link)) {
    symlinkSync("..", link, "dir");
}
require(path.join(root, "dist-bench", "bench", "run.js"));
