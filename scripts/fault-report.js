#!/usr/bin/env node
"use strict";
/**
 * node scripts/fault-report.js [--reset]
 *
 * Prints the fault matrix's figures after the suite: rows run and passed, by fault class and by
 * resource, from the JSON each fault-matrix test file writes to PULUMI_ROLLOUT_FAULT_REPORT
 * (test/setup-env.js sets it). `--reset` empties that folder (before jest). Exits 1 when a row
 * failed.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const DIR = process.env.PULUMI_ROLLOUT_FAULT_REPORT || path.join(ROOT, ".pulumi-work", "fault-matrix");

if (process.argv.includes("--reset")) {
    fs.rmSync(DIR, { recursive: true, force: true });
    process.exit(0);
}

const rows = [];
for (const f of fs.existsSync(DIR) ? fs.readdirSync(DIR) : []) {
    if (f.endsWith(".json")) rows.push(...JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")));
}
if (rows.length === 0) {
    console.log("fault matrix: no rows ran");
    process.exit(0);
}
function table(key) {
    const by = new Map();
    for (const r of rows) {
        const c = by.get(r[key]) || { run: 0, passed: 0 };
        c.run++;
        if (r.passed) c.passed++;
        by.set(r[key], c);
    }
    return [...by].map(([k, c]) => `| ${k} | ${c.run} | ${c.passed} |`).join("\n");
}
const passed = rows.filter((r) => r.passed).length;
console.log(`\nfault matrix: ${rows.length} rows run, ${passed} passed\n`);
console.log(`| fault class | rows | passed |\n|---|---|---|\n${table("fault")}\n`);
console.log(`| resource | rows | passed |\n|---|---|---|\n${table("resource")}\n`);
process.exit(passed === rows.length ? 0 : 1);
