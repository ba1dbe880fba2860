/**
 * The rollout plan preview prints: batch sizes, the estimate and its basis, the lines, both clouds'
 * plan builders on what their Describe calls report, and the previewer that shares reads and never
 * fails a preview.
 */
import { CloudError } from "../../src/core/errors";
import {
    batchSizeOf,
    decide,
    estimateOf,
    planLines,
    type RolloutPlan,
    scheduleOf,
} from "../../src/core/rolloutPlan";
import { planEssRefresh } from "../../src/resources/alicloudInstanceRefresh/plan";
import type { InstanceRefreshInputs } from "../../src/resources/alicloudInstanceRefresh/types";
import { planAwsRefresh } from "../../src/resources/awsInstanceRefresh/plan";
import type { AwsInstanceRefreshInputs } from "../../src/resources/awsInstanceRefresh/types";
import { noPlanReason, PlanPreviewer } from "../../src/resources/common/planPreview";

const essInputs = (over: Partial<InstanceRefreshInputs> = {}): InstanceRefreshInputs => ({
    scalingGroupId: "asg-1",
    desiredConfiguration: { scalingConfigurationId: "asc-new" },
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    skipMatching: true,
    checkpointPauseMinutes: 60,
    timeoutMinutes: 60,
    onFailure: "fail",
    onTimeout: "cancel",
    onConflict: "wait",
    ...over,
});

const essInstance = (
    id: string,
    sc: string,
    state = "InService",
    creationType = "AutoCreated",
) => ({
    instanceId: id,
    lifecycleState: state,
    creationType,
    scalingConfigurationId: sc,
});

const essGroup = {
    scalingGroupId: "asg-1",
    totalCapacity: 6,
    activeScalingConfigurationId: "asc-old",
};

describe("batches and estimates", () => {
    test("batch size: below capacity by 100 - min, above it by max - 100, at least one", () => {
        expect(batchSizeOf(10, 80, 120)).toBe(4);
        expect(batchSizeOf(10, 90, 100)).toBe(1);
        expect(batchSizeOf(10, 100, 100)).toBe(1);
        expect(batchSizeOf(40, 90, 100)).toBe(4);
        expect(batchSizeOf(3, 50, 100)).toBe(1);
    });

    test("the estimate rests on past refreshes per instance, else their durations, else pauses and warm-up, else none", () => {
        const perInstance = estimateOf({
            toReplace: 10,
            batches: 3,
            past: [
                { id: "a", seconds: 600, replaced: 5 },
                { id: "b", seconds: 1200, replaced: 5 },
                { id: "c", seconds: 100, replaced: 1 },
            ],
            pauseSeconds: 60,
        });
        // Median of 120, 240, 100 s per instance: 120 s, x 10, + 60 s of pauses.
        expect(perInstance).toEqual({
            seconds: 1260,
            atLeast: false,
            basis: "2m00s per instance, the median of the group's last 3 successful refreshes, plus 1m00s of pauses",
        });
        const whole = estimateOf({
            toReplace: 4,
            batches: 1,
            past: [{ id: "a", seconds: 900 }],
            pauseSeconds: 0,
        });
        expect(whole).toMatchObject({ seconds: 900, atLeast: false });
        expect(whole?.basis).toContain("does not report how many");
        const bound = estimateOf({
            toReplace: 4,
            batches: 2,
            past: [],
            pauseSeconds: 3600,
            warmupSeconds: 300,
        });
        expect(bound).toMatchObject({ seconds: 4200, atLeast: true });
        expect(bound?.basis).toMatch(
            /^2 batches × 300 s warm-up .* \+ 1h00m of checkpoint pauses; launch and bootstrap time are not known/,
        );
        expect(estimateOf({ toReplace: 4, batches: 2, past: [], pauseSeconds: 0 })).toBeUndefined();
    });
});

describe("schedules", () => {
    test("ESS pauses where a batch crosses a checkpoint with instances left, and never cuts a batch", () => {
        // One batch of 4 does it all: no pause at 50%.
        expect(scheduleOf(4, 4, [50, 100], false)).toEqual({ batches: 1, pauses: 0, replaced: 4 });
        // 10 in batches of 4: 4, 8 (crosses 50%: pause), 10.
        expect(scheduleOf(10, 4, [50, 100], false)).toEqual({
            batches: 3,
            pauses: 1,
            replaced: 10,
        });
        expect(scheduleOf(0, 4, [50, 100], false)).toEqual({ batches: 0, pauses: 0, replaced: 0 });
    });

    test("AWS cuts a batch at a checkpoint and ends at a last checkpoint below 100%", () => {
        // 4 in batches of 5 with [50, 100]: 2 (checkpoint, pause), then 2.
        expect(scheduleOf(4, 5, [50, 100], true)).toEqual({ batches: 2, pauses: 1, replaced: 4 });
        // [50] alone: 2 replaced, then the refresh ends (no pause).
        expect(scheduleOf(4, 5, [50], true)).toEqual({ batches: 1, pauses: 0, replaced: 2 });
    });

    test("a refresh being cancelled or rolled back is waited for; this resource's own is superseded", () => {
        const base = {
            onConflict: "cancel",
            timeoutMinutes: 30,
            toReplace: 2,
            atMost: false,
            nothing: { verdict: "nothing" as const, upWill: "nothing" },
        };
        const cancelling = decide({
            ...base,
            running: { id: "ir-1", status: "Cancelling", phase: "cancelling" },
        });
        expect(cancelling.verdict).toBe("waitThenStart");
        expect(cancelling.inTheWay[0]).toBe(
            "refresh ir-1 is Cancelling on the group, not started by this resource: it is left to end",
        );
        const ours = decide({
            ...base,
            running: { id: "ir-1", status: "InProgress", phase: "running" },
            ownTaskId: "ir-1",
        });
        expect(ours.verdict).toBe("cancelThenStart");
        expect(ours.upWill).toBe(
            "cancel that refresh, wait for it to end, then start a refresh replacing 2 instances and wait for it to end, all within timeoutMinutes 30",
        );
        expect(
            decide({ ...base, running: { id: "ir-2", status: "SomethingNew", phase: "running" } })
                .verdict,
        ).toBe("cancelThenStart");
        expect(decide({ ...base, toReplace: 0 }).verdict).toBe("nothing");
    });
});

describe("alicloud.InstanceRefresh plan", () => {
    test("replaces those not on the desired configuration; skips Standby, protected and attached with reasons", () => {
        const plan = planEssRefresh(
            {
                region: "cn-hangzhou",
                group: essGroup,
                instances: [
                    essInstance("i-1", "asc-old"),
                    essInstance("i-2", "asc-new"),
                    essInstance("i-3", "asc-old", "Standby"),
                    essInstance("i-4", "asc-old", "Protected"),
                    essInstance("i-5", "asc-old", "InService", "Attached"),
                    essInstance("i-6", "asc-old", "Pending"),
                ],
                tasks: [],
                hooks: [],
            },
            essInputs(),
            undefined,
        );
        expect(plan).toMatchObject({
            toReplace: 1,
            replaceIds: ["i-1"],
            alreadyDesired: 1,
            batchSize: 2,
            batches: 1,
            verdict: "start",
        });
        expect(plan.skipped.map((s) => [s.instanceId, s.reason])).toEqual([
            ["i-3", "in Standby: ESS does not refresh it"],
            ["i-4", "protected: ESS does not refresh it"],
            ["i-5", "added to the group by hand (Attached): ESS does not refresh it"],
            ["i-6", "Pending: not in service now"],
        ]);
        expect(plan.estimate).toBeUndefined();
        expect(planLines(plan)).toContain(
            "plan: no estimate (the group has no successful refresh to learn from, and ESS takes no warm-up time)",
        );
    });

    test("a precondition ESS states, a running refresh, a hook without heartbeats, nothing to replace", () => {
        const facts = {
            region: "cn-hangzhou",
            group: { ...essGroup, multiAZPolicy: "BALANCE" },
            instances: [essInstance("i-1", "asc-new")],
            tasks: [],
            hooks: [],
        };
        const refused = planEssRefresh(facts, essInputs(), undefined);
        expect(refused.verdict).toBe("fail");
        expect(refused.inTheWay[0]).toMatch(/^ESS refuses the start: .*BALANCE scale-out policy/);

        const running = planEssRefresh(
            {
                ...facts,
                group: essGroup,
                tasks: [
                    {
                        instanceRefreshTaskId: "ir-old",
                        scalingGroupId: "asg-1",
                        status: "Successful",
                        startTime: "2026-01-01T00:00:00Z",
                        endTime: "2026-01-01T00:10:00Z",
                        totalNeedUpdateCapacity: 5,
                    },
                    {
                        instanceRefreshTaskId: "ir-f",
                        scalingGroupId: "asg-1",
                        status: "InProgress",
                        startTime: "2026-01-02T00:00:00Z",
                        totalNeedUpdateCapacity: 6,
                        finishedUpdateCapacity: 2,
                    },
                ],
                hooks: [
                    {
                        lifecycleHookId: "ash-1",
                        lifecycleHookName: "boot",
                        lifecycleTransition: "SCALE_OUT",
                        heartbeatTimeoutSeconds: 300,
                        defaultResult: "ABANDON",
                    },
                ],
            },
            essInputs({ onConflict: "fail" }),
            undefined,
        );
        expect(running.verdict).toBe("fail");
        expect(running.inTheWay).toEqual([
            'refresh ir-f is InProgress (2/6 instances) on the group, not started by this resource: onConflict "fail"',
            "lifecycle hook boot holds each new instance at most 300 s, then ABANDON: a longer bootstrap needs heartbeatPolicies",
        ]);
        expect(running.toReplace).toBe(0);

        const ours = planEssRefresh(
            {
                ...facts,
                group: essGroup,
                tasks: [
                    { instanceRefreshTaskId: "ir-9", scalingGroupId: "asg-1", status: "Paused" },
                ],
            },
            essInputs(),
            "ir-9",
        );
        expect(ours.verdict).toBe("cancelThenStart");

        const nothing = planEssRefresh({ ...facts, group: essGroup }, essInputs(), undefined);
        expect(nothing.verdict).toBe("nothing");
        expect(nothing.upWill).toMatch(/NotNeeded/);
    });

    test("with an image ESS cannot tell which instances run it: at most, said so", () => {
        const plan = planEssRefresh(
            {
                region: "cn-hangzhou",
                group: essGroup,
                instances: [essInstance("i-1", "asc-old")],
                tasks: [],
                hooks: [],
            },
            essInputs({ desiredConfiguration: { imageId: "m-2" } }),
            undefined,
        );
        expect(plan).toMatchObject({ toReplace: 1, toReplaceAtMost: true });
        expect(planLines(plan)[1]).toBe(
            "plan: replace up to 1: i-1 (ESS reports no image per instance: those already on image m-2 are kept)",
        );
    });
});

describe("aws.InstanceRefresh plan", () => {
    const awsInputs = (
        prefs: AwsInstanceRefreshInputs["preferences"],
    ): AwsInstanceRefreshInputs => ({
        autoScalingGroupName: "web",
        strategy: "Rolling",
        desiredConfiguration: { launchTemplate: { launchTemplateId: "lt-1", version: "3" } },
        preferences: prefs,
        timeoutMinutes: 60,
        onFailure: "fail",
        onTimeout: "cancel",
        onConflict: "wait",
    });
    const inst = (id: string, version: string, extra: Record<string, unknown> = {}) => ({
        instanceId: id,
        lifecycleState: "InService",
        launchTemplate: { launchTemplateId: "lt-1", version },
        ...extra,
    });
    const facts = {
        region: "us-east-1",
        group: {
            autoScalingGroupName: "web",
            desiredCapacity: 4,
            instances: 4,
            launchTemplate: { launchTemplateId: "lt-1", version: "2" },
            healthCheckGracePeriodSeconds: 120,
        },
        instances: [
            inst("i-1", "2"),
            inst("i-2", "3"),
            inst("i-3", "2", { protectedFromScaleIn: true }),
            inst("i-4", "2", { lifecycleState: "Standby" }),
        ],
        refreshes: [],
        hooks: [],
    };

    test("AWS's defaults: protected and Standby wait, which is in the way; warm-up from the group", () => {
        const plan = planAwsRefresh(facts, awsInputs({ skipMatching: true }), undefined);
        expect(plan).toMatchObject({
            toReplace: 1,
            replaceIds: ["i-1"],
            alreadyDesired: 1,
            batchSize: 1,
        });
        expect(plan.batchRule).toBe(
            "minHealthyPercentage 90 (AWS's default), maxHealthyPercentage 100 (AWS's default) of capacity 4",
        );
        expect(plan.inTheWay).toEqual([
            "i-3 protected from scale-in, i-4 in Standby: AWS waits up to an hour for them (the Wait preference), then fails the refresh",
        ]);
        expect(plan.estimate).toMatchObject({ seconds: 120, atLeast: true });
        expect(plan.estimate?.basis).toContain("the group's HealthCheckGracePeriod");
    });

    test("Refresh and Terminate: the protected one is replaced, the Standby one terminated", () => {
        const plan = planAwsRefresh(
            facts,
            awsInputs({
                skipMatching: true,
                scaleInProtectedInstances: "Refresh",
                standbyInstances: "Terminate",
            }),
            undefined,
        );
        expect(plan.replaceIds).toEqual(["i-1", "i-3", "i-4"]);
        expect(plan.inTheWay).toEqual([
            "1 instance in Standby is terminated and replaced (StandbyInstances Terminate)",
        ]);
    });

    test("a group on $Latest cannot be rolled back: the plan says up fails", () => {
        const plan = planAwsRefresh(
            {
                ...facts,
                group: {
                    ...facts.group,
                    launchTemplate: { launchTemplateId: "lt-1", version: "$Latest" },
                },
            },
            { ...awsInputs({}), onFailure: "rollback" },
            undefined,
        );
        expect(plan.verdict).toBe("fail");
        expect(plan.inTheWay[0]).toMatch(/cannot roll back/);
    });
});

describe("the previewer", () => {
    const plan = (group: string): RolloutPlan => ({
        group,
        region: "r",
        capacity: 1,
        instances: 1,
        toReplace: 1,
        toReplaceAtMost: false,
        replaceIds: ["i-1"],
        replaceRule: "rule",
        alreadyDesired: 0,
        skipped: [],
        batchSize: 1,
        batchRule: "rule",
        batches: 1,
        checkpoints: [],
        pauses: 0,
        estimate: undefined,
        inTheWay: [],
        verdict: "start",
        upWill: "start",
    });

    test("plans of one group share their reads; the same plan twice is printed once", async () => {
        const previewer = new PlanPreviewer();
        let reads = 0;
        const make = (g: string) => async () => {
            await previewer.shared(`group:${g}`, async () => ++reads);
            return plan(g);
        };
        const lines: string[] = [];
        await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
                previewer.planOf({ name: `r${i}` }, undefined, (l) => lines.push(l), make("g")),
            ),
        );
        expect(reads).toBe(1);
        await previewer.planOf({ name: "r0" }, undefined, (l) => lines.push(l), make("g"));
        expect(lines.filter((l) => l.startsWith("plan: replace"))).toHaveLength(50);
    });

    test("a failed read gives one line naming the permission, and is not kept", async () => {
        const previewer = new PlanPreviewer();
        const refused = new CloudError({
            service: "ESS",
            operation: "DescribeScalingInstances",
            code: "Forbidden.RAM",
            cloudMessage: "User not authorized to operate on the specified resource.",
            transient: false,
        });
        const lines: string[] = [];
        const out = await previewer.planOf(
            {},
            undefined,
            (l) => lines.push(l),
            () => Promise.reject(refused),
        );
        expect(out).toEqual({
            unavailable:
                "DescribeScalingInstances was refused (Forbidden.RAM): the plan needs ess:DescribeScalingInstances",
        });
        expect(lines).toEqual([
            "no plan: DescribeScalingInstances was refused (Forbidden.RAM): the plan needs ess:DescribeScalingInstances",
        ]);
        let n = 0;
        const read = () =>
            previewer.shared("k", () =>
                ++n === 1 ? Promise.reject(new Error("x")) : Promise.resolve(n),
            );
        await expect(read()).rejects.toThrow("x");
        await expect(read()).resolves.toBe(2);
        expect(
            noPlanReason(
                new CloudError({
                    service: "Auto Scaling",
                    operation: "DescribeLifecycleHooks",
                    code: "AccessDenied",
                    cloudMessage: "no",
                    transient: false,
                }),
            ),
        ).toBe(
            "DescribeLifecycleHooks was refused (AccessDenied): the plan needs autoscaling:DescribeLifecycleHooks",
        );
    });
});
