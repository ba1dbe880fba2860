#!/usr/bin/env node
"use strict";
/**
 * npm run demo: real `pulumi up`s of examples/sandbox (Alibaba Cloud ESS) and examples/sandbox-aws
 * (EC2 Auto Scaling) against the bundled simulators, with a local file backend and no cloud
 * account. Each refresh is started and waited for; a second `pulumi up` has nothing to do; then
 * what the simulated clouds received is listed.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { runStack } = require("./lib/stack");
const ess = require("../dist/sandbox/ess");
const autoscaling = require("../dist/sandbox/autoscaling");

const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

/** Runs `pulumi up` twice on an example and summarizes what the simulator received. */
async function rehearse({ title, example, env, config, sim, refreshes }) {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-rollout-demo-${example}-`));
    const common = { example, stateDir, env, config, onOutput: (t) => process.stdout.write(t) };
    say(
        `${title}: pulumi up starts the refresh and returns only when the cloud reports it Successful`,
    );
    const first = await runStack({ ...common, command: "up" });
    if (!first.ok) throw new Error(first.error);
    say(`${title}: pulumi up again, nothing changed: no refresh is started`);
    const second = await runStack({ ...common, command: "up" });
    if (!second.ok) throw new Error(second.error);
    const counts = {};
    for (const c of sim.calls) counts[c.action] = (counts[c.action] || 0) + 1;
    say(`${title}: what the simulated cloud received`);
    for (const [action, n] of Object.entries(counts)) process.stdout.write(`  ${action}: ${n}\n`);
    const all = refreshes();
    process.stdout.write(`  refreshes: ${all.map((r) => `${r.id} ${r.status}`).join(", ")}\n`);
    return all.length === 1 && all[0].status === "Successful";
}

async function main() {
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    const essSim = new ess.EssSimulator({
        groups: [
            { scalingGroupId: "asg-sandbox-web", scalingGroupName: "sandbox-web", capacity: 6 },
        ],
        scenario: { pendingSeconds: 2, batchSeconds: 5 },
    });
    const LT = "lt-0123456789abcdef0";
    const asgSim = new autoscaling.AutoScalingSimulator({
        launchTemplates: [
            {
                launchTemplateId: LT,
                launchTemplateName: "sandbox-web",
                versions: 2,
                defaultVersion: 1,
            },
        ],
        groups: [
            {
                autoScalingGroupName: "sandbox-web",
                capacity: 4,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
        ],
        scenario: { pendingSeconds: 2, batchSeconds: 5 },
    });
    let ok = false;
    try {
        const essEndpoint = (await essSim.listen()).endpoint;
        const asgEndpoint = (await asgSim.listen()).endpoint;
        say(
            `simulators: ESS on ${essEndpoint} (group asg-sandbox-web, 6 instances), Auto Scaling on ${asgEndpoint} (group sandbox-web, 4 instances)`,
        );
        const essOk = await rehearse({
            title: "Alibaba Cloud ESS",
            example: "sandbox",
            env: {
                ALIBABA_CLOUD_ESS_ENDPOINT: essEndpoint,
                ALIBABA_CLOUD_ACCESS_KEY_ID: ess.SANDBOX_ACCESS_KEY_ID,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: ess.SANDBOX_ACCESS_KEY_SECRET,
            },
            config: { "alicloud:region": "cn-hangzhou" },
            sim: essSim,
            refreshes: () =>
                essSim.refreshes().map((r) => ({ id: r.InstanceRefreshTaskId, status: r.Status })),
        });
        const awsOk = await rehearse({
            title: "AWS EC2 Auto Scaling",
            example: "sandbox-aws",
            env: {
                AWS_ENDPOINT_URL_AUTO_SCALING: asgEndpoint,
                AWS_ENDPOINT_URL_EC2: asgEndpoint,
                AWS_ACCESS_KEY_ID: autoscaling.SANDBOX_AWS_ACCESS_KEY_ID,
                AWS_SECRET_ACCESS_KEY: autoscaling.SANDBOX_AWS_SECRET_ACCESS_KEY,
                AWS_CONFIG_FILE: "/dev/null",
                AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            },
            config: { "aws:region": "us-east-1" },
            sim: asgSim,
            refreshes: () =>
                asgSim.refreshes().map((r) => ({ id: r.InstanceRefreshId, status: r.Status })),
        });
        const lt = asgSim.group("sandbox-web").launchTemplate;
        process.stdout.write(
            `  group sandbox-web now runs launch template ${lt.launchTemplateId} version ${lt.version}\n`,
        );
        ok = essOk && awsOk;
        say(
            ok
                ? "demo succeeded"
                : "demo FAILED: expected exactly one Successful refresh per cloud",
        );
    } finally {
        await essSim.close();
        await asgSim.close();
    }
    process.exit(ok ? 0 : 1);
}

main().catch((err) => {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
});
