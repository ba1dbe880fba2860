/**
 * aws.InstanceRefresh with the real Pulumi CLI and a file backend, against the Auto Scaling
 * simulator: what `pulumi preview` / `up` print, what the simulator received, what state holds.
 */
import { SANDBOX_AWS_SECRET_ACCESS_KEY } from "../../src/sandbox/autoscaling";
import { AWS_GROUP, AWS_LT, AwsSandbox, waitFor } from "./harness";

jest.setTimeout(300_000);

const GROUP = AWS_GROUP;
const LT = AWS_LT;

const MUTATING = ["StartInstanceRefresh", "CancelInstanceRefresh", "RollbackInstanceRefresh"];

describe("an AWS refresh declared in a stack", () => {
    const box = new AwsSandbox({});
    beforeAll(() => box.start());
    afterAll(() => box.stop());

    test("pulumi preview shows the refresh to create and makes no cloud call", async () => {
        const run = await box.pulumi("preview");
        expect(run.code).toBe(0);
        expect(run.output).toMatch(
            /\+\s+pulumi-nodejs:dynamic\/rollout:aws\.InstanceRefresh\s+web\s+create/,
        );
        expect(box.sim.calls).toEqual([]);
    });

    test("pulumi up starts one refresh, shows its progress, returns after Successful; the group is on the new version", async () => {
        const run = await box.pulumi("up");
        expect(run.code).toBe(0);
        expect(box.starts()).toBe(1);
        const [refresh] = box.sim.refreshes(GROUP);
        expect(refresh?.Status).toBe("Successful");
        expect(run.output).toMatch(/refresh [\w-]+: InProgress \d+%/);
        expect(run.output).toMatch(/refresh [\w-]+: Successful 100%/);
        expect(run.outputs).toMatchObject({
            status: "Successful",
            refreshId: refresh?.InstanceRefreshId,
            percentageComplete: 100,
        });
        expect(box.sim.group(GROUP).launchTemplate).toMatchObject({
            launchTemplateId: LT,
            version: "2",
        });
        const state = box.refreshState();
        expect(state.outputs).toMatchObject({
            instanceRefreshId: refresh?.InstanceRefreshId,
            status: "Successful",
        });
        expect(box.stateText()).not.toContain(SANDBOX_AWS_SECRET_ACCESS_KEY);
        expect(run.output).not.toContain(SANDBOX_AWS_SECRET_ACCESS_KEY);
        expect(box.sim.callsTo("StartInstanceRefresh")[0]?.params).toMatchObject({
            AutoScalingGroupName: GROUP,
            "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
            "DesiredConfiguration.LaunchTemplate.Version": "2",
            "Preferences.MinHealthyPercentage": "50",
            "Preferences.SkipMatching": "true",
        });
    });

    test("a second pulumi up with nothing changed makes no cloud call at all", async () => {
        const before = box.sim.calls.length;
        const run = await box.pulumi("up");
        expect(run.code).toBe(0);
        expect(run.output).toMatch(/2 unchanged/);
        expect(box.sim.calls.length).toBe(before);
    });

    test("a changed trigger shows an update in preview (no mutating call) and starts one refresh on up", async () => {
        const preview = await box.pulumi("preview", { release: "2" });
        expect(preview.output).toMatch(
            /~\s+pulumi-nodejs:dynamic\/rollout:aws\.InstanceRefresh\s+web\s+update/,
        );
        expect(box.sim.calls.filter((c) => MUTATING.includes(c.action)).length).toBe(1);
        const up = await box.pulumi("up", { release: "2" });
        expect(up.code).toBe(0);
        expect(box.starts()).toBe(2);
    });

    test("invalid preferences fail at preview, naming the property and its range, with no call", async () => {
        const other = await new AwsSandbox({}).start();
        try {
            const run = await other.pulumi("preview", {
                minHealthyPercentage: 120,
                checkpointDelaySeconds: 60,
                launchTemplateVersion: "latest",
            });
            expect(run.code).not.toBe(0);
            expect(run.output).toContain(
                "preferences.minHealthyPercentage must be an integer from 0 to 100; got 120",
            );
            expect(run.output).toContain(
                "preferences.checkpointDelaySeconds needs preferences.checkpointPercentages",
            );
            expect(run.output).toContain(
                'desiredConfiguration.launchTemplate.version must be a version number, "$Latest" or "$Default"; got "latest"',
            );
            expect(other.sim.calls).toEqual([]);
        } finally {
            await other.stop();
        }
    });
});

test.concurrent(
    "a failure with onFailure rollback: AWS rolls the group back to its previous version and up fails with the reason",
    async () => {
        const box = await new AwsSandbox({}).start();
        box.sim.setScenario(GROUP, {
            pendingSeconds: 1,
            batchSeconds: 2,
            failAtPercent: 50,
            failReason: "Instances failed to pass health checks",
        });
        try {
            const run = await box.pulumi("up", { onFailure: "rollback" });
            expect(run.code).not.toBe(0);
            expect(
                box.sim.callsTo("StartInstanceRefresh")[0]?.params["Preferences.AutoRollback"],
            ).toBe("true");
            const [refresh] = box.sim.refreshes(GROUP);
            expect(refresh?.Status).toBe("RollbackSuccessful");
            expect(run.output).toContain("ended RollbackSuccessful");
            expect(run.output).toContain("Instances failed to pass health checks");
            expect(box.sim.group(GROUP).launchTemplate).toMatchObject({
                launchTemplateId: LT,
                version: "1",
            });
            expect(box.refreshState().outputs).toMatchObject({
                instanceRefreshId: refresh?.InstanceRefreshId,
                status: "RollbackSuccessful",
            });

            box.sim.setScenario(GROUP, { pendingSeconds: 1, batchSeconds: 2 });
            const retried = await box.pulumi("up", { onFailure: "rollback" });
            expect(retried.code).toBe(0);
            expect(box.starts()).toBe(2);
            expect(box.sim.group(GROUP).launchTemplate).toMatchObject({ version: "2" });
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "killing pulumi up mid-wait and running it again starts no second refresh",
    async () => {
        const box = await new AwsSandbox({ batchSeconds: 4 }).start();
        try {
            const killed = await box.pulumi("up", {}, (out) =>
                /refresh [\w-]+: InProgress/.test(out),
            );
            expect(killed.signal).toBe("SIGKILL");
            expect((await box.pulumi("cancel")).code).toBe(0);
            const resumed = await box.pulumi("up");
            expect(resumed.code).toBe(0);
            expect(resumed.output).toContain("is the very refresh this deployment asks for");
            const refreshes = box.sim.refreshes(GROUP);
            expect(refreshes).toHaveLength(1);
            expect(refreshes[0]?.Status).toBe("Successful");
            expect(box.refreshState().outputs.instanceRefreshId).toBe(
                refreshes[0]?.InstanceRefreshId,
            );
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "onConflict cancel cancels a foreign refresh, then starts ours (Terraform's cancel-then-start)",
    async () => {
        const box = await new AwsSandbox({ foreignRefresh: true, batchSeconds: 3600 }).start();
        try {
            const [foreign] = box.sim.refreshes(GROUP);
            expect(foreign).toBeDefined();
            // The foreign refresh's first batch takes an hour, however slow the CLI's start: once
            // it is under way, the group's pace is the usual one, so that the cancel (which ends
            // after one batch's time, counted from the cancel) and ours go quickly.
            await waitFor(
                () => box.sim.refreshes(GROUP)[0]?.Status === "InProgress",
                "the foreign refresh's first batch",
            );
            box.sim.setScenario(GROUP, { pendingSeconds: 1, batchSeconds: 2 });
            const run = await box.pulumi("up", { onConflict: "cancel" });
            expect(run.code).toBe(0);
            expect(run.output).toContain(`another refresh, ${foreign!.InstanceRefreshId}`);
            expect(box.sim.callsTo("CancelInstanceRefresh")).toHaveLength(1);
            const statuses = Object.fromEntries(
                box.sim.refreshes(GROUP).map((r) => [r.InstanceRefreshId, r.Status]),
            );
            expect(statuses[foreign!.InstanceRefreshId]).toBe("Cancelled");
            expect(box.refreshState().outputs.status).toBe("Successful");
            expect(box.refreshState().outputs.instanceRefreshId).not.toBe(
                foreign!.InstanceRefreshId,
            );
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "a refresh left running at the timeout is recorded as running, and pulumi destroy cancels it",
    async () => {
        const box = await new AwsSandbox({ batchSeconds: 3600 }).start();
        try {
            const run = await box.pulumi("up", { timeoutMinutes: 1, onTimeout: "leave" });
            expect(run.code).not.toBe(0);
            expect(run.output).toContain('it was left running (onTimeout: "leave")');
            expect(box.refreshState().outputs.status).toBe("InProgress");
            const ours = box.refreshState().outputs.instanceRefreshId as string;

            box.sim.setScenario(GROUP, { batchSeconds: 2 });
            const destroy = await box.pulumi("destroy");
            expect(destroy.code).toBe(0);
            expect(box.sim.callsTo("CancelInstanceRefresh")).toHaveLength(1);
            expect(box.sim.refreshes(GROUP).find((r) => r.InstanceRefreshId === ours)?.Status).toBe(
                "Cancelled",
            );
        } finally {
            await box.stop();
        }
    },
);

test.concurrent(
    "onTimeout rollback rolls a refresh that did not finish in time back (RollbackInstanceRefresh); a $Latest version is resolved to its number",
    async () => {
        // The refresh's first two new instances never finish their bootstrap in a one-hour hook, so
        // it cannot finish in a minute; the rollback's instances finish theirs at once.
        const box = await new AwsSandbox(
            { bootstrapSecondsPerInstance: [null, null], bootstrapSeconds: 1 },
            {
                lifecycleHooks: [
                    {
                        lifecycleHookName: "bootstrap",
                        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                        heartbeatTimeout: 3600,
                        defaultResult: "CONTINUE",
                    },
                ],
            },
        ).start();
        try {
            const slow = await box.pulumi("up", {
                launchTemplateVersion: "2",
                timeoutMinutes: 1,
                onTimeout: "rollback",
            });
            expect(slow.code).not.toBe(0);
            expect(box.sim.callsTo("RollbackInstanceRefresh")).toHaveLength(1);
            expect(box.refreshState().outputs.status).toBe("RollbackSuccessful");
            expect(box.sim.group(GROUP).launchTemplate).toMatchObject({ version: "1" });

            box.sim.setScenario(GROUP, { bootstrapSecondsPerInstance: [] });
            const latest = await box.pulumi("up", {
                launchTemplateVersion: "$Latest",
                timeoutMinutes: 10,
                onTimeout: "cancel",
            });
            expect(latest.code).toBe(0);
            expect(box.sim.callsTo("DescribeLaunchTemplates").length).toBeGreaterThan(0);
            expect(box.sim.group(GROUP).launchTemplate).toMatchObject({ version: "3" });
        } finally {
            await box.stop();
        }
    },
);
