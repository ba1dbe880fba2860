#!/usr/bin/env node
"use strict";
/**
 * npm run demo: real `pulumi up`s of examples/sandbox (Alibaba Cloud ESS), examples/sandbox-aws
 * (EC2 Auto Scaling) and examples/alicloud-maintenance (ECS RedeployInstance ahead of scheduled
 * maintenance) against the bundled simulators, with a local file backend and no cloud account.
 * Each operation is started and waited for; a second `pulumi up` has nothing to do; then what the
 * simulated clouds received is listed.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { runStack } = require("./lib/stack");
const ess = require("../dist/sandbox/ess");
const autoscaling = require("../dist/sandbox/autoscaling");
const ecs = require("../dist/sandbox/ecs");

const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

/** Runs `pulumi up` twice on an example and summarizes what the simulator received. */
async function rehearse({ title, example, env, config, sim, summary, what = "the refresh" }) {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-rollout-demo-${example}-`));
    const common = { example, stateDir, env, config, onOutput: (t) => process.stdout.write(t) };
    say(`${title}: pulumi up starts ${what} and returns only when the cloud reports it done`);
    const first = await runStack({ ...common, command: "up" });
    if (!first.ok) throw new Error(first.error);
    say(`${title}: pulumi up again, nothing changed: nothing is started`);
    const second = await runStack({ ...common, command: "up" });
    if (!second.ok) throw new Error(second.error);
    const counts = {};
    for (const c of sim.calls) counts[c.action] = (counts[c.action] || 0) + 1;
    say(`${title}: what the simulated cloud received`);
    for (const [action, n] of Object.entries(counts)) process.stdout.write(`  ${action}: ${n}\n`);
    const { lines, ok } = summary();
    for (const line of lines) process.stdout.write(`  ${line}\n`);
    return ok;
}

async function main() {
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
    const essSim = new ess.EssSimulator({
        groups: [
            {
                scalingGroupId: "asg-sandbox-web",
                scalingGroupName: "sandbox-web",
                capacity: 6,
                // New instances wait in this hook while they bootstrap; its 30 s timeout is
                // shorter than their bootstrap, so the refresh needs the heartbeat policy.
                lifecycleHooks: [
                    {
                        lifecycleHookId: "ash-sandbox-bootstrap",
                        lifecycleHookName: "bootstrap",
                        heartbeatTimeout: 30,
                        defaultResult: "ABANDON",
                    },
                ],
            },
        ],
        scenario: { pendingSeconds: 2, batchSeconds: 5, bootstrapSeconds: 40 },
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
    const FLEET = ["i-sandbox-web-1", "i-sandbox-web-2", "i-sandbox-web-3", "i-sandbox-web-4"];
    const ecsSim = new ecs.EcsSimulator({
        instances: FLEET.map((instanceId) => ({ instanceId })),
        scenario: { stopSeconds: 2, migrateSeconds: 4, startSeconds: 2 },
    });
    ecsSim.addEvent("i-sandbox-web-2", { eventType: "SystemMaintenance.Reboot" });
    ecsSim.addEvent("i-sandbox-web-3", { eventType: "SystemMaintenance.Redeploy" });
    let ok = false;
    try {
        const essEndpoint = (await essSim.listen()).endpoint;
        const asgEndpoint = (await asgSim.listen()).endpoint;
        const ecsEndpoint = (await ecsSim.listen()).endpoint;
        say(
            `simulators: ESS on ${essEndpoint} (group asg-sandbox-web, 6 instances bootstrapping 40 s in a 30 s lifecycle hook), Auto Scaling on ${asgEndpoint} (group sandbox-web, 4 instances), ECS on ${ecsEndpoint} (4 instances, scheduled maintenance on 2)`,
        );
        const essOk = await rehearse({
            title: "Alibaba Cloud ESS",
            example: "sandbox",
            env: {
                ALIBABA_CLOUD_ESS_ENDPOINT: essEndpoint,
                ALIBABA_CLOUD_ACCESS_KEY_ID: ess.SANDBOX_ACCESS_KEY_ID,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: ess.SANDBOX_ACCESS_KEY_SECRET,
            },
            config: {
                "alicloud:region": "cn-hangzhou",
                lifecycleHookId: "ash-sandbox-bootstrap",
                heartbeatTimeoutSeconds: "30",
                maxHeartbeats: "6",
            },
            sim: essSim,
            summary: () => {
                const refresh = oneRefresh(essSim.refreshes(), "InstanceRefreshTaskId");
                const actions = essSim.lifecycleActions({ scalingGroupId: "asg-sandbox-web" });
                const kept = actions.filter(
                    (a) => a.endedBy === "bootstrap" && a.heartbeats.length > 0,
                );
                return {
                    lines: [
                        ...refresh.lines,
                        `lifecycle actions: ${actions.length}, kept alive past the hook's 30 s by ` +
                            `${actions.reduce((n, a) => n + a.heartbeats.length, 0)} heartbeats, ` +
                            `all ended by their bootstrap: ${kept.length === actions.length}`,
                    ],
                    ok: refresh.ok && actions.length > 0 && kept.length === actions.length,
                };
            },
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
            summary: () => oneRefresh(asgSim.refreshes(), "InstanceRefreshId"),
        });
        const lt = asgSim.group("sandbox-web").launchTemplate;
        process.stdout.write(
            `  group sandbox-web now runs launch template ${lt.launchTemplateId} version ${lt.version}\n`,
        );
        const ecsOk = await rehearse({
            title: "Alibaba Cloud ECS maintenance",
            what: "RedeployInstance for each instance with scheduled maintenance",
            example: "alicloud-maintenance",
            env: {
                ALIBABA_CLOUD_ECS_ENDPOINT: ecsEndpoint,
                ALIBABA_CLOUD_ACCESS_KEY_ID: ecs.SANDBOX_ACCESS_KEY_ID,
                ALIBABA_CLOUD_ACCESS_KEY_SECRET: ecs.SANDBOX_ACCESS_KEY_SECRET,
            },
            config: { "alicloud:region": "cn-hangzhou", instanceIds: JSON.stringify(FLEET) },
            sim: ecsSim,
            summary: () => {
                const tasks = ecsSim.tasks();
                const lines = [
                    `redeploy tasks: ${tasks.map((t) => `${t.TaskId} ${t.ResourceId} ${t.TaskStatus}`).join(", ")}`,
                    ...FLEET.map((id) => {
                        const events = ecsSim
                            .events(id)
                            .map((e) => `${e.EventType} ${e.EventCycleStatus}`);
                        return `${id}: ${ecsSim.instance(id).status}${events.length ? `, ${events.join(", ")}` : ""}`;
                    }),
                ];
                const ok =
                    tasks.length === 2 &&
                    tasks.every((t) => t.TaskStatus === "Finished") &&
                    ["i-sandbox-web-2", "i-sandbox-web-3"].every((id) =>
                        ecsSim.events(id).every((e) => e.EventCycleStatus === "Avoided"),
                    );
                return { lines, ok };
            },
        });
        ok = essOk && awsOk && ecsOk;
        say(
            ok
                ? "demo succeeded"
                : "demo FAILED: expected one Successful refresh per cloud and two finished redeploys",
        );
    } finally {
        await essSim.close();
        await asgSim.close();
        await ecsSim.close();
    }
    process.exit(ok ? 0 : 1);
}

/** One Successful refresh, in the simulator's own words. */
function oneRefresh(all, idKey) {
    return {
        lines: [`refreshes: ${all.map((r) => `${r[idKey]} ${r.Status}`).join(", ")}`],
        ok: all.length === 1 && all[0].Status === "Successful",
    };
}

main().catch((err) => {
    console.error(`\ndemo failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
});
