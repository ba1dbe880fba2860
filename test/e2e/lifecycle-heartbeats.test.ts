/**
 * LifecycleHeartbeatPolicy with the real Pulumi CLI, on both clouds' sandbox examples: a refresh
 * whose new instances bootstrap for longer than their lifecycle hook's timeout fails without a
 * policy and succeeds with one; a bootstrap longer than the caps fails naming the cap; heartbeats
 * are never sent more often or longer than policy and cloud allow (from the simulators' records).
 */
import {
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "../../src/sandbox/autoscaling";
import type { AsgScenario } from "../../src/sandbox/autoscaling";
import type { EssScenario } from "../../src/sandbox/ess";
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "../../src/sandbox/ess";
import { createEssClient } from "../../src/clouds/alicloud/ess";
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createAutoScalingClient } from "../../src/clouds/aws/autoscaling";
import { AWS_GROUP, AWS_LT, AwsSandbox, Sandbox, SECRET, waitFor } from "./harness";

jest.setTimeout(900_000);

const GROUP = "asg-sandbox-web";
const HOOK = "ash-sandbox-bootstrap";

/**
 * The ESS simulator with a launching hook of `hookTimeout` seconds that abandons, and
 * examples/sandbox.
 */
function essBox(scenario: EssScenario, capacity = 2, hookTimeout = 30): Promise<Sandbox> {
    return new Sandbox(
        [
            {
                scalingGroupId: GROUP,
                capacity,
                lifecycleHooks: [
                    {
                        lifecycleHookId: HOOK,
                        lifecycleHookName: "bootstrap",
                        heartbeatTimeout: hookTimeout,
                        defaultResult: "ABANDON",
                    },
                ],
            },
        ],
        { pendingSeconds: 1, batchSeconds: 2, ...scenario },
    ).start();
}

const essPolicy = { lifecycleHookId: HOOK, heartbeatTimeoutSeconds: 30, maxHeartbeats: 10 };

describe("alicloud.LifecycleHeartbeatPolicy", () => {
    test.concurrent(
        "a bootstrap longer than the hook's timeout fails the refresh without a policy and succeeds with one",
        async () => {
            const box = await essBox({ bootstrapSeconds: 70 });
            try {
                const without = await box.pulumi("up", { release: "1" });
                expect(without.code).not.toBe(0);
                expect(without.output).toMatch(/ABANDON/);
                expect(box.sim.callsTo("RecordLifecycleActionHeartbeat")).toHaveLength(0);

                const up = await box.pulumi("up", {
                    release: "2",
                    ...essPolicy,
                    maxPendingMinutes: 3,
                });
                expect(up.code).toBe(0);
                expect(up.output).toContain("heartbeat 1 of at most 10 in hook " + HOOK);
                const taskId = box.refreshState().outputs.instanceRefreshTaskId;
                const refresh = box.sim
                    .refreshes(GROUP)
                    .find((r) => r.InstanceRefreshTaskId === taskId);
                expect(refresh?.Status).toBe("Successful");
                const actions = box.sim
                    .lifecycleActions({ scalingGroupId: GROUP })
                    .filter((a) => a.instanceRefreshTaskId === taskId);
                expect(actions.length).toBeGreaterThan(0);
                for (const a of actions) {
                    expect(a.endedBy).toBe("bootstrap");
                    expect(a.heartbeats.length).toBeGreaterThan(0);
                    expect(a.heartbeats.length).toBeLessThanOrEqual(10);
                    // Never late (each heartbeat lands before the window it extends closes), never
                    // more often than the window needs, never past maxPendingMinutes.
                    let windowEnd = a.pendingSince + 30_000;
                    let last = -Infinity;
                    for (const h of a.heartbeats) {
                        expect(h.at).toBeLessThan(windowEnd);
                        expect(h.at - last).toBeGreaterThanOrEqual(10_000);
                        expect(h.heartbeatTimeout).toBeLessThanOrEqual(30);
                        expect(h.deadline - a.pendingSince).toBeLessThanOrEqual(3 * 60_000);
                        windowEnd = h.deadline;
                        last = h.at;
                    }
                }
                const state = box.refreshState();
                expect(state.outputs.status).toBe("Successful");
                const reports = state.outputs.heartbeats as { state: string; heartbeats: number }[];
                expect(reports.length).toBe(actions.length);
                expect(reports).toEqual(
                    actions.map((): unknown =>
                        expect.objectContaining({ state: "ended", reason: null }),
                    ),
                );
                // No secret in state or output.
                expect(box.stateText()).not.toContain(SECRET);
                expect(up.output).not.toContain(SECRET);
                const policy = box.resourceState("alicloud.LifecycleHeartbeatPolicy").outputs;
                expect(policy).toMatchObject({
                    hookName: "bootstrap",
                    lifecycleTransition: "SCALE_OUT",
                    defaultResult: "ABANDON",
                    hookHeartbeatTimeoutSeconds: 30,
                });
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "a bootstrap longer than the caps allow fails, naming the cap; no heartbeat goes past it",
        async () => {
            const box = await essBox({ bootstrapSeconds: 600 });
            try {
                const up = await box.pulumi("up", { ...essPolicy, maxPendingMinutes: 2 });
                expect(up.code).not.toBe(0);
                expect(up.output).toContain("maxPendingMinutes (2) reached");
                expect(up.output).toMatch(
                    /lifecycle heartbeats: .* heartbeats stopped: maxPendingMinutes \(2\) reached/,
                );
                for (const a of box.sim.lifecycleActions({ scalingGroupId: GROUP })) {
                    expect(a.heartbeats.length).toBeLessThanOrEqual(10);
                    for (const h of a.heartbeats) {
                        expect(h.deadline - a.pendingSince).toBeLessThanOrEqual(2 * 60_000);
                    }
                }
                expect(box.refreshState().outputs.status).toBe("Failed");
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "a policy for a hook the group does not have fails at up and starts nothing; an unreachable cap fails at preview",
        async () => {
            const box = await essBox({ bootstrapSeconds: 5 });
            try {
                const preview = await box.pulumi("preview", {
                    ...essPolicy,
                    maxPendingMinutes: 10,
                });
                expect(preview.code).not.toBe(0);
                expect(preview.output).toContain(
                    "maxPendingMinutes (10) can never be reached: 10 heartbeats of 30 s, each sent 10 s before the window it extends closes, keep an action pending at most 3 minutes",
                );
                expect(box.sim.calls).toHaveLength(0);

                const up = await box.pulumi("up", {
                    ...essPolicy,
                    lifecycleHookId: "ash-nope",
                    maxPendingMinutes: 3,
                });
                expect(up.code).not.toBe(0);
                expect(up.output).toContain(
                    `ESS has no lifecycle hook ash-nope on group ${GROUP} (DescribeLifecycleHooks found none)`,
                );
                expect(box.sim.callsTo("StartInstanceRefresh")).toHaveLength(0);
            } finally {
                await box.stop();
            }
        },
    );
});

const LT = AWS_LT;

/**
 * The Auto Scaling simulator with a launching hook of `hookTimeout` seconds that abandons, and
 * examples/sandbox-aws.
 */
function awsBox(scenario: AsgScenario, hookTimeout = 30): Promise<AwsSandbox> {
    return new AwsSandbox(scenario, {
        capacity: 2,
        lifecycleHooks: [
            {
                lifecycleHookName: "bootstrap",
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                heartbeatTimeout: hookTimeout,
                defaultResult: "ABANDON",
            },
        ],
    }).start();
}

describe("aws.LifecycleHeartbeatPolicy", () => {
    test.concurrent(
        "instances in Pending:Wait longer than the hook's timeout are abandoned without a policy and kept with one; caps are named",
        async () => {
            const box = await awsBox({ bootstrapSeconds: 70 });
            try {
                const without = await box.pulumi("up", { release: "1" });
                expect(without.code).not.toBe(0);
                expect(without.output).toContain("abandoned by lifecycle hook bootstrap");

                const up = await box.pulumi("up", {
                    release: "2",
                    lifecycleHookName: "bootstrap",
                    maxHeartbeats: 10,
                    maxPendingMinutes: 3,
                });
                expect(up.code).toBe(0);
                expect(up.output).toContain("heartbeat 1 of at most 10 in hook bootstrap");
                const kept = box.sim
                    .lifecycleActions({ autoScalingGroupName: AWS_GROUP })
                    .filter((a) => a.endedBy === "Bootstrap");
                expect(kept.length).toBeGreaterThan(0);
                for (const a of kept) {
                    expect(a.heartbeats.length).toBeGreaterThan(0);
                    expect(a.heartbeats.length).toBeLessThanOrEqual(10);
                    let last = -Infinity;
                    for (const h of a.heartbeats) {
                        expect(h.at - last).toBeGreaterThanOrEqual(10_000);
                        expect(Date.parse(h.timeoutAt) - a.startedAt).toBeLessThanOrEqual(
                            3 * 60_000,
                        );
                        last = h.at;
                    }
                }

                box.sim.setScenario(AWS_GROUP, { bootstrapSeconds: 600 });
                const tooLong = await box.pulumi("up", {
                    release: "4",
                    launchTemplateVersion: "3",
                    lifecycleHookName: "bootstrap",
                    maxHeartbeats: 10,
                    maxPendingMinutes: 1,
                });
                expect(tooLong.code).not.toBe(0);
                expect(tooLong.output).toMatch(/maxPendingMinutes \(1\) would be passed/);
            } finally {
                await box.stop();
            }
        },
    );
});

/**
 * Runs `call` (a client of this process, started by "someone else") with `vars` set, then puts the
 * environment back as it was; the stacks under test get their credentials from the harness.
 */
async function withEnv<T>(vars: Record<string, string>, call: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
        return await call();
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) {
                delete process.env[k];
            } else {
                process.env[k] = v;
            }
        }
    }
}

/**
 * The scale-out starts before `pulumi up`, as a step earlier in the deploy would: its instances'
 * first window (the hook's timeout, 120 s) must outlast the CLI's start on a busy machine, and their
 * bootstrap (150 s) outlasts that window, so only heartbeats keep them. The caps leave the
 * heartbeats a minute and a half past the bootstrap however the times fall: ESS gives an action's
 * start to the minute only, so the pending time is counted from up to 60 s before the real start,
 * and with 3 minutes the caps could stop the heartbeats before the 150 s bootstrap ended. On ESS,
 * 15 heartbeats of 30 s (each sent 10 s before its window closes) are what 5 minutes take.
 */
const SCALED_ELSEWHERE = { bootstrapSeconds: 150 };
const SCALED_ELSEWHERE_HOOK_TIMEOUT = 120;
const SCALED_ELSEWHERE_MAX_PENDING_MINUTES = 5;
const SCALED_ELSEWHERE_ESS_MAX_HEARTBEATS = 15;

describe("servicePendingActions: scaling done elsewhere in the deploy", () => {
    test.concurrent(
        "ESS: the policy's up keeps the hook's pending actions alive until they end, and reports them",
        async () => {
            const box = await essBox(SCALED_ELSEWHERE, 1, SCALED_ELSEWHERE_HOOK_TIMEOUT);
            try {
                // Someone else's scale-out: a refresh started outside this stack.
                await withEnv(
                    {
                        ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
                        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
                    },
                    () =>
                        createEssClient({
                            regionId: "cn-hangzhou",
                            endpoint: parseEndpoint(box.endpoint),
                        }).startInstanceRefresh({
                            scalingGroupId: GROUP,
                            desiredConfiguration: { imageId: "m-elsewhere" },
                        }),
                );
                // The scale-out has put its new instances in the hook's Pending state (a CLI that
                // starts fast may otherwise look before they are launched, and find nothing).
                await waitFor(
                    () =>
                        box.sim
                            .lifecycleActions({ scalingGroupId: GROUP })
                            .some((a) => a.endedAt === undefined),
                    "the scale-out's instances to be pending in the hook",
                    60_000,
                );
                const up = await box.pulumi("up", {
                    refresh: false,
                    ...essPolicy,
                    maxHeartbeats: SCALED_ELSEWHERE_ESS_MAX_HEARTBEATS,
                    maxPendingMinutes: SCALED_ELSEWHERE_MAX_PENDING_MINUTES,
                    servicePendingActions: true,
                });
                // The output's end, when up failed, says why.
                expect({
                    code: up.code,
                    tail: up.code === 0 ? "" : up.output.slice(-3000),
                }).toEqual({
                    code: 0,
                    tail: "",
                });
                expect(up.output).toMatch(/lifecycle action ended after (10|[1-9]) heartbeats?/);
                const actions = box.sim.lifecycleActions({ scalingGroupId: GROUP });
                expect(actions).toHaveLength(1);
                expect(actions[0]!.endedBy).toBe("bootstrap");
                expect(actions[0]!.heartbeats.length).toBeGreaterThan(0);
                // up returned only once the action had ended.
                expect(up.outputs?.pendingActions).toEqual([
                    expect.objectContaining({
                        state: "ended",
                        heartbeats: actions[0]!.heartbeats.length,
                    }),
                ]);
                expect(box.sim.refreshes(GROUP)[0]!.Status).not.toBe("Failed");
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "AWS: the policy's up keeps instances in Pending:Wait alive until they proceed",
        async () => {
            const box = await awsBox(SCALED_ELSEWHERE, SCALED_ELSEWHERE_HOOK_TIMEOUT);
            try {
                await withEnv(
                    {
                        AWS_ACCESS_KEY_ID: SANDBOX_AWS_ACCESS_KEY_ID,
                        AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_SECRET_ACCESS_KEY,
                        AWS_CONFIG_FILE: "/dev/null",
                        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
                    },
                    () =>
                        createAutoScalingClient({
                            region: "us-east-1",
                            endpoint: box.endpoint,
                        }).startInstanceRefresh({
                            autoScalingGroupName: AWS_GROUP,
                            desiredConfiguration: {
                                launchTemplate: { launchTemplateId: LT, version: "2" },
                            },
                            preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
                        }),
                );
                // The scale-out has put its new instances in Pending:Wait (a CLI that starts fast
                // may otherwise look before they are launched, and find nothing).
                await waitFor(
                    () =>
                        box.sim
                            .lifecycleActions({ autoScalingGroupName: AWS_GROUP })
                            .some((a) => a.status === "InProgress"),
                    "the scale-out's instances to be in Pending:Wait",
                    60_000,
                );
                const up = await box.pulumi("up", {
                    refresh: false,
                    lifecycleHookName: "bootstrap",
                    maxHeartbeats: 10,
                    maxPendingMinutes: SCALED_ELSEWHERE_MAX_PENDING_MINUTES,
                    servicePendingActions: true,
                });
                expect(up.code).toBe(0);
                const actions = box.sim.lifecycleActions({ autoScalingGroupName: AWS_GROUP });
                expect(actions.length).toBeGreaterThan(0);
                for (const a of actions) {
                    expect(a.endedBy).toBe("Bootstrap");
                    expect(a.heartbeats.length).toBeGreaterThan(0);
                }
                const reported = up.outputs?.pendingActions as { state: string }[];
                expect(reported.length).toBe(actions.length);
                expect(reported.every((r) => r.state === "ended")).toBe(true);
            } finally {
                await box.stop();
            }
        },
    );
});
