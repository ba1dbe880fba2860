#!/usr/bin/env node
"use strict";
/**
 * node scripts/stack.js <preview|up|refresh|destroy|cancel> [--example sandbox] [--state DIR] [--stack dev]
 *                       [--config key=value ...]
 * Runs one Pulumi operation on an example with the real CLI and a file backend; prints the CLI's
 * output; exits 0 when it succeeded, 1 when it failed. Credentials and endpoints come from the
 * environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ESS_ENDPOINT, ...).
 */
const path = require("path");
const { runStack, ROOT } = require("./lib/stack");

async function main(argv) {
    const command = argv[0];
    const opt = { example: "sandbox", stateDir: path.join(ROOT, ".pulumi-state"), stack: "dev", config: {} };
    for (let i = 1; i < argv.length; i++) {
        const a = argv[i];
        const v = argv[i + 1];
        if (a === "--example") { opt.example = v; i++; }
        else if (a === "--state") { opt.stateDir = path.resolve(v); i++; }
        else if (a === "--stack") { opt.stack = v; i++; }
        else if (a === "--config") { const at = v.indexOf("="); opt.config[v.slice(0, at)] = v.slice(at + 1); i++; }
        else { throw new Error(`unknown argument ${a}`); }
    }
    // Ctrl-C (or a CI runner's SIGINT/SIGTERM) once: the CLI cancels gracefully, as `pulumi up`
    // in a terminal does, and waits for the resource steps in flight. A second one exits at once.
    const abort = new AbortController();
    const interrupt = (name) => {
        if (abort.signal.aborted) {
            process.exit(130);
        }
        process.stderr.write(`\n${name}: cancelling; pulumi waits for the resource operations in flight (again to stop at once)\n`);
        abort.abort();
    };
    process.on("SIGINT", () => interrupt("SIGINT"));
    process.on("SIGTERM", () => interrupt("SIGTERM"));
    // The process that started this run is gone (a killed test runner or CI job): nobody reads
    // its output any more, so the run ends now with the processes it started (its process group,
    // when it leads one), instead of waiting on unseen against an endpoint that may be gone too.
    const parent = process.ppid;
    setInterval(() => {
        if (process.ppid !== parent) {
            try {
                process.kill(-process.pid, "SIGKILL");
            } catch {
                // not a process group leader
            }
            process.exit(1);
        }
    }, 1000).unref();
    const r = await runStack({ command, ...opt, signal: abort.signal, onOutput: (t) => process.stdout.write(t) });
    if (!r.ok) {
        if (r.error) process.stderr.write(r.error + "\n");
        process.exit(1);
    }
    if (r.outputs && Object.keys(r.outputs).length) {
        process.stdout.write(`\nStack outputs: ${JSON.stringify(r.outputs, null, 2)}\n`);
    }
}

main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
