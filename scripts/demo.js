#!/usr/bin/env node
"use strict";
/**
 * npm run demo: a real `pulumi up` of examples/sandbox against the bundled ESS simulator, with a
 * local file backend and no cloud account. Shows the refresh being started and waited for, then a
 * second `pulumi up` that has nothing to do, then what the simulated cloud received.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { runStack } = require("./lib/stack");
const { EssSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } = require("../dist/sandbox/ess");

const GROUP = "asg-sandbox-web";

async function main() {
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    const sim = new EssSimulator({
        groups: [{ scalingGroupId: GROUP, scalingGroupName: "sandbox-web", capacity: 6 }],
        scenario: { pendingSeconds: 2, batchSeconds: 5 },
    });
    const { endpoint } = await sim.listen();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-rollout-demo-"));
    const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);
    const env = {
        ALIBABA_CLOUD_ESS_ENDPOINT: endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
    };
    const common = {
        example: "sandbox",
        stateDir,
        env,
        config: { "alicloud:region": "cn-hangzhou" },
        onOutput: (t) => process.stdout.write(t),
    };
    let ok = false;
    try {
        say(`ESS simulator on ${endpoint}: scaling group ${GROUP}, 6 instances; state in ${stateDir}`);
        say("pulumi up: starts the refresh and returns only when ESS reports it Successful");
        const first = await runStack({ ...common, command: "up" });
        if (!first.ok) throw new Error(first.error);
        say("pulumi up again, nothing changed: no refresh is started");
        const second = await runStack({ ...common, command: "up" });
        if (!second.ok) throw new Error(second.error);
        const counts = {};
        for (const c of sim.calls) counts[c.action] = (counts[c.action] || 0) + 1;
        say("what the simulated ESS received");
        for (const [action, n] of Object.entries(counts)) process.stdout.write(`  ${action}: ${n}\n`);
        const refreshes = sim.refreshes(GROUP);
        process.stdout.write(
            `  refresh tasks on ${GROUP}: ${refreshes.map((r) => `${r.InstanceRefreshTaskId} ${r.Status}`).join(", ")}\n`,
        );
        ok = refreshes.length === 1 && refreshes[0].Status === "Successful";
        say(ok ? "demo succeeded" : "demo FAILED: expected exactly one Successful refresh");
    } finally {
        await sim.close();
    }
    process.exit(ok ? 0 : 1);
}

main().catch((err) => {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
});
