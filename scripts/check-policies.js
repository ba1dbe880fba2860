#!/usr/bin/env node
"use strict";
/**
 * node scripts/check-policies.js [--reset]
 *
 * Proves the least-privilege policies in policies/: compares, per resource type, the API actions the
 * simulators received from that resource during the test suite (PULUMI_ROLLOUT_ACTION_LOG, one JSON
 * line per call, resource named by the library's User-Agent) with the actions its policy grants.
 * An action called but not granted is a missing permission; one granted but never called is either
 * more than the resource needs or untested. Either fails. `--reset` empties the log (before jest).
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const LOG = process.env.PULUMI_ROLLOUT_ACTION_LOG || path.join(ROOT, ".pulumi-work", "actions.jsonl");
const POLICIES = ["alicloud-ram.json", "aws-iam.json"].map((f) => path.join(ROOT, "policies", f));

function granted() {
    const out = new Map();
    for (const file of POLICIES) {
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        for (const [resource, policy] of Object.entries(doc)) {
            const actions = new Set();
            for (const st of policy.Statement) {
                if (st.Effect === "Allow") [].concat(st.Action).forEach((a) => actions.add(a));
            }
            out.set(resource, { actions, file: path.relative(ROOT, file) });
        }
    }
    return out;
}

function called() {
    const out = new Map();
    const text = fs.existsSync(LOG) ? fs.readFileSync(LOG, "utf8") : "";
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        const { resource, action } = JSON.parse(line);
        if (!out.has(resource)) out.set(resource, new Map());
        const counts = out.get(resource);
        counts.set(action, (counts.get(action) || 0) + 1);
    }
    return out;
}

function main(argv) {
    if (argv.includes("--reset")) {
        fs.mkdirSync(path.dirname(LOG), { recursive: true });
        fs.writeFileSync(LOG, "");
        return 0;
    }
    const policy = granted();
    const seen = called();
    const problems = [];
    console.log("Least-privilege policies against the actions the test suite's resources called:");
    for (const [resource, { actions, file }] of policy) {
        const counts = seen.get(resource) || new Map();
        const missing = [...counts.keys()].filter((a) => !actions.has(a));
        const unused = [...actions].filter((a) => !counts.has(a));
        const calls = [...counts.values()].reduce((a, b) => a + b, 0);
        console.log(
            `  ${resource} (${file}): ${actions.size} actions granted, ${counts.size} called, ${calls} calls` +
                (missing.length || unused.length ? "" : ": equal"),
        );
        for (const a of missing) problems.push(`${resource} called ${a}, which ${file} does not grant`);
        for (const a of unused) problems.push(`${resource}: ${file} grants ${a}, which no test exercised`);
    }
    for (const resource of seen.keys()) {
        if (!policy.has(resource)) problems.push(`${resource} called the cloud but has no policy in policies/`);
    }
    if (problems.length) {
        console.error(`\npolicy check FAILED (log ${LOG}):\n  ${problems.join("\n  ")}`);
        return 1;
    }
    return 0;
}

process.exit(main(process.argv.slice(2)));
