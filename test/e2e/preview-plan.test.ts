/**
 * `pulumi preview` plans the rollout, with the real CLI on both clouds' sandbox examples: a group
 * of 10 with 4 instances already on the desired configuration, one protected, one in Standby, and
 * a refresh someone else started still running. The preview names the instances to replace, the
 * skipped ones with their reasons, the batch size and the wait behind the running refresh, and
 * makes no call but Describe*; without credentials it still succeeds, saying in one line why there
 * is no plan. After `up` the same facts are the resource's `plan` output.
 */
import { AWS_LT, AwsSandbox, CliRun, MUTATING, Sandbox, SECRET } from "./harness";

jest.setTimeout(600_000);

/** Every action the simulator received from `from` on was a read. */
function onlyReads(calls: { action: string }[]): void {
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !/^Describe/.test(c.action)).map((c) => c.action)).toEqual([]);
    expect(calls.filter((c) => MUTATING.includes(c.action))).toEqual([]);
}

/** The ids a plan line lists ("plan: replace 4: i-1, i-2, ... (rule)"). */
function idsOf(output: string, line: RegExp): string[] {
    const m = line.exec(output);
    return m?.[1] ? m[1].split(", ") : [];
}

function expectNoPlanLine(run: CliRun, why: RegExp): void {
    expect(run.code).toBe(0);
    expect(run.output).toMatch(why);
    expect(run.output).not.toMatch(/InstanceRefresh web: plan: replace/);
}

/** A group of 10: one in Standby, one protected, the last 4 already on version 2. */
const PLAN_GROUP = "plan-web";

/**
 * The sandbox-aws stack after a first `up` on its own group, and the group of 10 beside it: the
 * change under test moves the resource there (a change is what preview diffs).
 */
async function awsWithPlanGroup(): Promise<AwsSandbox> {
    const box = await new AwsSandbox({ batchSeconds: 2 }).start();
    const first = await box.pulumi("up");
    expect(first.code).toBe(0);
    box.sim.addGroup({
        autoScalingGroupName: PLAN_GROUP,
        capacity: 10,
        standbyInstances: 1,
        protectedInstances: 1,
        otherVersion: { count: 4, version: 2 },
        launchTemplate: { launchTemplateId: AWS_LT, version: "1" },
    });
    return box;
}

const AWS_CONFIG = {
    groupName: PLAN_GROUP,
    launchTemplateVersion: "2",
    scaleInProtectedInstances: "Ignore",
    standbyInstances: "Ignore",
};
const AWS_REPLACE =
    /plan: replace 4: ([^(]+) \(in service and not launched from launch template lt-0123456789abcdef0 version 2\)/;

/** The sandbox group's instances on version 1 in service and unprotected, and the skipped two. */
function awsInstances(box: AwsSandbox): { old: string[]; standby: string; prot: string } {
    const instances = box.sim.group(PLAN_GROUP).instances;
    return {
        old: instances
            .filter(
                (i) =>
                    i.lifecycleState === "InService" &&
                    !i.protectedFromScaleIn &&
                    i.launchTemplate?.version !== "2",
            )
            .map((i) => i.instanceId),
        standby: instances.find((i) => i.lifecycleState === "Standby")!.instanceId,
        prot: instances.find((i) => i.protectedFromScaleIn)!.instanceId,
    };
}

describe("preview with a rollout plan", () => {
    test.concurrent(
        "alicloud.InstanceRefresh: 4 to replace, protected and Standby skipped, batches of 2, waits behind a running refresh",
        async () => {
            const box = await new Sandbox(
                [
                    { scalingGroupId: "asg-sandbox-web", capacity: 2 },
                    {
                        scalingGroupId: "asg-plan",
                        capacity: 10,
                        standbyInstances: 1,
                        protectedInstances: 1,
                        otherConfiguration: { count: 4, scalingConfigurationId: "asc-new" },
                    },
                ],
                { pendingSeconds: 1, batchSeconds: 1 },
            ).start();
            try {
                // The resource exists (a first refresh of another group); this change moves it.
                expect((await box.pulumi("up")).code).toBe(0);
                box.sim.setScenario("asg-plan", { foreignRefresh: true, batchSeconds: 3600 });
                const calls = box.sim.calls.length;
                const config = {
                    scalingGroupId: "asg-plan",
                    scalingConfigurationId: "asc-new",
                    checkpoints: [50, 100],
                    minHealthyPercentage: 90,
                    maxHealthyPercentage: 110,
                };
                const preview = await box.pulumi("preview", config);
                expect(preview.code).toBe(0);
                const out = preview.output;
                if (process.env.PREVIEW_PLAN_DEBUG) {
                    console.log(out); // the README's sample
                }
                expect(out).toMatch(
                    /~\s+pulumi-nodejs:dynamic\/rollout:alicloud\.InstanceRefresh\s+web\s+update/,
                );
                const instances = box.sim.instances("asg-plan");
                const on = (state: string, sc?: string): string[] =>
                    instances
                        .filter(
                            (i) =>
                                i.LifecycleState === state &&
                                (sc === undefined || i.ScalingConfigurationId !== sc),
                        )
                        .map((i) => i.InstanceId);
                expect(out).toContain(
                    "plan: group asg-plan (cn-hangzhou): capacity 10, 10 instances",
                );
                const replaced = idsOf(
                    out,
                    /plan: replace 4: ([^(]+) \(in service and not created from scaling configuration asc-new\)/,
                );
                expect(replaced.sort()).toEqual(on("InService", "asc-new").sort());
                expect(replaced).toHaveLength(4);
                expect(out).toContain("plan: 4 already on the desired configuration, kept");
                expect(out).toContain(
                    `plan: skip 1: ${on("Standby")[0]} (in Standby: ESS does not refresh it)`,
                );
                expect(out).toContain(
                    `plan: skip 1: ${on("Protected")[0]} (protected: ESS does not refresh it)`,
                );
                // floor(10 x 10%) + floor(10 x 10%) = 2 at a time: 2 batches, a pause at 50% between them.
                expect(out).toContain(
                    "plan: batches of 2 (minHealthyPercentage 90, maxHealthyPercentage 110 of capacity 10): 2 batches; checkpoints 50%, 100%: 1 pause of 1h00m",
                );
                expect(out).toMatch(
                    /plan: estimate at least 1h00m \(1h00m of checkpoint pauses; launch and bootstrap time are not known/,
                );
                const foreign = box.sim.refreshes("asg-plan")[0]!.InstanceRefreshTaskId;
                expect(out).toMatch(
                    new RegExp(
                        `plan: in the way: refresh ${foreign} is (Pending|InProgress)[^:]*, not started by this resource: onConflict "wait" waits for it to end`,
                    ),
                );
                expect(out).toContain(
                    "plan: up will wait for that refresh to end, then start a refresh replacing 4 instances and wait for it to end, all within timeoutMinutes 30",
                );
                onlyReads(box.sim.calls.slice(calls));
                expect(out).not.toContain(SECRET);

                // Without credentials: the same preview passes, saying why there is no plan.
                const before = box.sim.calls.length;
                const bare = await box.pulumi("preview", config, undefined, {
                    env: {
                        ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
                        ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
                    },
                });
                expectNoPlanLine(bare, /alicloud\.InstanceRefresh web: no plan: [^\n]*credential/i);
                expect(bare.output).toMatch(
                    /~\s+pulumi-nodejs:dynamic\/rollout:alicloud\.InstanceRefresh\s+web\s+update/,
                );
                expect(
                    box.sim.calls.slice(before).filter((c) => MUTATING.includes(c.action)),
                ).toEqual([]);
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "aws.InstanceRefresh: 4 to replace, protected and Standby ignored, batches of 5, waits behind a running refresh",
        async () => {
            const box = await awsWithPlanGroup();
            try {
                box.sim.setScenario(PLAN_GROUP, { foreignRefresh: true, batchSeconds: 3600 });
                const calls = box.sim.calls.length;
                const preview = await box.pulumi("preview", AWS_CONFIG);
                expect(preview.code).toBe(0);
                const out = preview.output;
                const { old, standby, prot } = awsInstances(box);
                expect(out).toContain(
                    "plan: group plan-web (us-east-1): capacity 10, 10 instances",
                );
                const replaced = idsOf(out, AWS_REPLACE);
                expect(replaced.sort()).toEqual(old.sort());
                expect(replaced).toHaveLength(4);
                expect(out).toContain("plan: 4 already on the desired configuration, kept");
                expect(out).toContain(
                    `plan: skip 1: ${standby} (in Standby: StandbyInstances Ignore)`,
                );
                expect(out).toContain(
                    `plan: skip 1: ${prot} (protected from scale-in: ScaleInProtectedInstances Ignore)`,
                );
                // minHealthyPercentage 50 of 10: 5 at a time.
                expect(out).toContain(
                    "plan: batches of 5 (minHealthyPercentage 50, maxHealthyPercentage 100 (AWS's default) of capacity 10): 1 batch",
                );
                const foreign = box.sim.refreshes(PLAN_GROUP)[0]!.InstanceRefreshId;
                expect(out).toMatch(
                    new RegExp(
                        `plan: in the way: refresh ${foreign} is (Pending|InProgress)[^:]*, not started by this resource: onConflict "wait" waits for it to end`,
                    ),
                );
                expect(out).toContain(
                    "plan: up will wait for that refresh to end, then start a refresh replacing 4 instances and wait for it to end, all within timeoutMinutes 30",
                );
                onlyReads(box.sim.calls.slice(calls));
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "aws.InstanceRefresh: up replaces exactly the instances its plan output names; AWS's Wait is foretold",
        async () => {
            const box = await awsWithPlanGroup();
            try {
                const { old, standby, prot } = awsInstances(box);
                const up = await box.pulumi("up", AWS_CONFIG);
                expect(up.code).toBe(0);
                expect(idsOf(up.output, AWS_REPLACE).sort()).toEqual(old.sort());
                const plan = up.outputs?.plan as Record<string, unknown>;
                expect(plan).toMatchObject({
                    group: PLAN_GROUP,
                    toReplace: 4,
                    batchSize: 5,
                    verdict: "start",
                });
                expect((plan.replaceIds as string[]).sort()).toEqual(old.sort());
                expect(
                    (plan.lines as string[]).some((l) => l.startsWith("plan: replace 4: ")),
                ).toBe(true);
                expect(box.refreshState().outputs.plan).toMatchObject({ toReplace: 4 });
                const after = box.sim.group(PLAN_GROUP).instances.map((i) => i.instanceId);
                expect(after.filter((id) => old.includes(id))).toEqual([]);
                expect(after).toEqual(expect.arrayContaining([standby, prot]));
                expect(box.sim.refreshes(PLAN_GROUP)).toHaveLength(1);

                // The protected instance left to AWS's default (Wait): the plan says what AWS does.
                const calls = box.sim.calls.length;
                const waits = await box.pulumi("preview", {
                    ...AWS_CONFIG,
                    release: "2",
                    scaleInProtectedInstances: "Wait",
                });
                expect(waits.code).toBe(0);
                expect(waits.output).toContain(
                    `plan: in the way: ${prot} protected from scale-in: AWS waits up to an hour for it (the Wait preference), then fails the refresh`,
                );
                onlyReads(box.sim.calls.slice(calls));
            } finally {
                await box.stop();
            }
        },
    );
});
