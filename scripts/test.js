#!/usr/bin/env node
"use strict";
/**
 * npm test: builds, type-checks and lints (the two side by side), makes sure the Pulumi CLI is
 * there, runs every tier with jest (arguments after `--` go to jest), checks the policies against
 * the actions the suite called and prints the fault matrix's figures; then prints how long each
 * step took, the whole run's wall time and the ten slowest test files.
 */
const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

require("./lib/supportedNode").runOnSupportedNode("npm test");

const ROOT = path.resolve(__dirname, "..");
const started = Date.now();
const steps = [];

function run(name, command, args) {
    return new Promise((resolve) => {
        const t0 = Date.now();
        const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: process.env });
        child.on("close", (code, signal) => {
            steps.push({ name, seconds: (Date.now() - t0) / 1000, ok: code === 0 });
            resolve(code === 0 ? 0 : (code ?? (signal ? 1 : 1)));
        });
    });
}

const npm = (script) => ["npm", ["run", "--silent", script]];
const node = (...args) => [process.execPath, args];

function summary() {
    const lines = ["", "== npm test: where the time went"];
    for (const s of steps) {
        lines.push(`  ${s.ok ? "ok  " : "FAIL"} ${s.name.padEnd(34)} ${s.seconds.toFixed(1).padStart(7)} s`);
    }
    const file = path.join(ROOT, ".pulumi-work", "test-times.json");
    // Only when this run's jest wrote it (not an earlier run's, when jest did not run).
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= started) {
        const times = JSON.parse(fs.readFileSync(file, "utf8"));
        const slowest = Object.entries(times.files)
            .sort((a, b) => b[1] - a[1])
            .slice(0, 10);
        lines.push(`  jest: ${times.tests} tests (${times.passed} passed) in ${times.wallSeconds} s; the ten slowest files:`);
        for (const [f, s] of slowest) {
            lines.push(`    ${s.toFixed(1).padStart(7)} s  ${f}`);
        }
    }
    lines.push(`  wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(lines.join("\n"));
}

async function main() {
    const jestArgs = process.argv.slice(2);
    let code = await run("build", ...npm("build"));
    if (code === 0) {
        const checks = await Promise.all([
            run("typecheck", ...npm("typecheck")),
            run("lint", ...npm("lint")),
            run("the Pulumi CLI, language host", ...node("scripts/ensure-pulumi.js", "--require", "--language-host")),
        ]);
        code = checks.find((c) => c !== 0) ?? 0;
    }
    if (code === 0) {
        await run("reset the action log", ...node("scripts/check-policies.js", "--reset"));
        await run("reset the fault report", ...node("scripts/fault-report.js", "--reset"));
        code = await run("jest", ...node(require.resolve("jest/bin/jest"), ...jestArgs));
        // The policies are compared with what a whole run called: not after a partial one.
        const policies = jestArgs.length === 0 ? await run("check-policies", ...node("scripts/check-policies.js")) : 0;
        const faults = await run("fault report", ...node("scripts/fault-report.js"));
        code = code || policies || faults;
    }
    summary();
    process.exit(code);
}

void main();
