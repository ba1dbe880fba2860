#!/usr/bin/env node
"use strict";
/**
 * npm run demo: real `pulumi up`s of examples/sandbox (Alibaba Cloud ESS), examples/sandbox-aws
 * (EC2 Auto Scaling) and examples/alicloud-maintenance (ECS RedeployInstance ahead of scheduled
 * maintenance) against the bundled simulators, with a local file backend and no cloud account.
 * Each operation is started and waited for; a second `pulumi up` has nothing to do; for the
 * refreshes, a `pulumi preview` of the next change then plans its rollout (read-only calls only);
 * then what the simulated clouds received is listed.
 *
 * `pulumi up` runs the way users run it, in the example's folder through the Node.js language host,
 * when one can be had (beside `pulumi` on PATH, cached, or built from ../shared/pulumi-language-nodejs);
 * otherwise as an Automation API inline program (scripts/lib/stack.js), which needs none. The demo
 * says which, and why.
 */
require("./lib/supportedNode").runOnSupportedNode("npm run demo");

const fs = require("fs");
const os = require("os");
const path = require("path");
const { runStack } = require("./lib/stack");
const { ensureLanguageHost } = require("./ensure-pulumi");
const userProject = require("./lib/userProject");
const ess = require("../dist/sandbox/ess");
const autoscaling = require("../dist/sandbox/autoscaling");
const ecs = require("../dist/sandbox/ecs");

const say = (s) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);

const ROOT = path.resolve(__dirname, "..");
const STACK = "demo";

/**
 * How this demo runs `pulumi`: through the language host when one can be had (then `binDirs` holds
 * the CLI's and its folders), else inline; `why` says which and why.
 */
function choosePath() {
    try {
        const host = ensureLanguageHost((l) => process.stdout.write(`${l}\n`));
        return {
            languageHost: true,
            binDirs: [...new Set([host.cli.dir, host.dir])],
            why:
                `pulumi up runs in each example's folder through the Node.js language host ${host.version} ` +
                `(${host.source}), the way you run your own stack`,
        };
    } catch (err) {
        return {
            languageHost: false,
            why:
                "pulumi up runs each example as an Automation API inline program (no language host needed), " +
                `because the Node.js language host could not be had: ${err instanceof Error ? err.message : err}`,
        };
    }
}

/**
 * `pulumi up --yes` (or `pulumi preview`) in examples/<example> through the language host, with
 * the stack `demo` of a file backend in `stateDir`; the stack's config file is removed afterwards.
 */
async function inPlace({ command, example, stateDir, env, config, binDirs }) {
    const dir = path.join(ROOT, "examples", example);
    const common = { dir, stateDir, env, binDirs, nodeDir: path.dirname(process.execPath) };
    const configFile = path.join(dir, `Pulumi.${STACK}.yaml`);
    const pairs = Object.entries(config).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]);
    // A demo stopped midway leaves its config file: this run's stack is new (a new backend).
    fs.rmSync(configFile, { force: true });
    try {
        for (const args of [
            ["stack", "select", "--create", STACK],
            ["config", "set-all", "--stack", STACK, ...pairs],
        ]) {
            const r = await userProject.pulumi({ ...common, args });
            if (r.code !== 0) return { ok: false, error: `pulumi ${args.join(" ")} failed:\n${r.output}` };
        }
        const r = await userProject.pulumi({
            ...common,
            args: command === "up" ? ["up", "--yes", "--stack", STACK] : ["preview", "--stack", STACK],
            onOutput: (t) => process.stdout.write(t),
        });
        return r.code === 0
            ? { ok: true }
            : { ok: false, error: `pulumi ${command} exited ${r.code ?? r.signal}` };
    } finally {
        fs.rmSync(configFile, { force: true });
    }
}

/**
 * Runs `pulumi up` twice on an example; with `next` (config of the next change), then a `pulumi
 * preview` of that change, which must make read-only calls only; summarizes what the simulator
 * received.
 */
async function rehearse({ title, example, env, config, next, sim, summary, how, what = "the refresh" }) {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-rollout-demo-${example}-`));
    const common = { example, stateDir, env, onOutput: (t) => process.stdout.write(t) };
    const run = (command, cfg = config) =>
        how.languageHost
            ? inPlace({ ...common, command, config: cfg, binDirs: how.binDirs })
            : runStack({ ...common, command, config: cfg });
    const where = how.languageHost ? ` (in examples/${example})` : "";
    say(`${title}: pulumi up${where} starts ${what} and returns only when the cloud reports it done`);
    const first = await run("up");
    if (!first.ok) throw new Error(first.error);
    say(`${title}: pulumi up again, nothing changed: nothing is started`);
    const second = await run("up");
    if (!second.ok) throw new Error(second.error);
    let previewOk = true;
    if (next) {
        const change = Object.entries(next.config)
            .map(([k, v]) => `${k}=${v}`)
            .join(", ");
        say(`${title}: pulumi preview of the next change (${change}): the plan of its rollout, read-only`);
        const before = sim.calls.length;
        const preview = await run("preview", { ...config, ...next.config });
        if (!preview.ok) throw new Error(preview.error);
        const calls = sim.calls.slice(before);
        const writes = calls.filter((c) => !/^Describe/.test(c.action));
        previewOk = writes.length === 0 && calls.length > 0;
        process.stdout.write(
            `  the preview made ${calls.length} calls, all Describe: ${writes.length === 0}` +
                (writes.length ? ` (also ${writes.map((c) => c.action).join(", ")})` : "") +
                "\n",
        );
    }
    const counts = {};
    for (const c of sim.calls) counts[c.action] = (counts[c.action] || 0) + 1;
    say(`${title}: what the simulated cloud received`);
    for (const [action, n] of Object.entries(counts)) process.stdout.write(`  ${action}: ${n}\n`);
    const { lines, ok } = summary();
    for (const line of lines) process.stdout.write(`  ${line}\n`);
    return ok && previewOk;
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
                // One in Standby and one protected: ESS skips them, and the plan says so.
                standbyInstances: 1,
                protectedInstances: 1,
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
                // Version 2 is what the stack rolls out; 3, what its next change would.
                versions: 3,
                defaultVersion: 1,
            },
        ],
        groups: [
            {
                autoScalingGroupName: "sandbox-web",
                capacity: 4,
                launchTemplate: { launchTemplateId: LT, version: "1" },
                // One already on version 2: skipMatching keeps it, and the plan says so.
                otherVersion: { count: 1, version: 2 },
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
    const how = choosePath();
    say(`how: ${how.why}`);
    try {
        const essEndpoint = (await essSim.listen()).endpoint;
        const asgEndpoint = (await asgSim.listen()).endpoint;
        const ecsEndpoint = (await ecsSim.listen()).endpoint;
        say(
            `simulators: ESS on ${essEndpoint} (group asg-sandbox-web, 6 instances, one in Standby and one protected, new ones bootstrapping 40 s in a 30 s lifecycle hook), Auto Scaling on ${asgEndpoint} (group sandbox-web, 4 instances, one already on version 2), ECS on ${ecsEndpoint} (4 instances, scheduled maintenance on 2)`,
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
            next: { config: { imageId: "m-sandbox-image-v3" } },
            sim: essSim,
            how,
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
            next: { config: { launchTemplateVersion: "3" } },
            sim: asgSim,
            how,
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
            how,
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
