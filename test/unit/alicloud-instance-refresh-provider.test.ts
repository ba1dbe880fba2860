import { VirtualClock } from "../../src/core/clock";
import {
    InstanceRefreshProvider,
    ProviderDeps,
} from "../../src/resources/alicloudInstanceRefresh/provider";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import { essError, FakeEss } from "./fakeEss";

function setup(env: NodeJS.ProcessEnv = { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" }) {
    const ess = new FakeEss();
    const lines: string[] = [];
    const targets: unknown[] = [];
    const clock = new VirtualClock();
    const deps: ProviderDeps = {
        ess: (t) => {
            targets.push(t);
            return ess;
        },
        clock,
        log: (l) => lines.push(l),
        env,
    };
    return { ess, lines, targets, clock, provider: new InstanceRefreshProvider(deps) };
}

const inputs = (extra: Record<string, unknown> = {}): Record<string, unknown> =>
    validateInstanceRefresh({
        scalingGroupId: "asg-1",
        desiredConfiguration: { imageId: "m-2" },
        checkpoints: [50, 100],
        checkpointPauseMinutes: 5,
        __provider: "serialized",
        __resourceName: "web",
        ...extra,
    }).inputs as unknown as Record<string, unknown>;

const progress = (done: number, status = "InProgress") => ({
    status,
    totalNeedUpdateCapacity: 4,
    finishedUpdateCapacity: done,
});

/** The partial-state rejection the dynamic provider turns into ErrorResourceInitFailed. */
async function rejection(p: Promise<unknown>): Promise<{
    id: string;
    properties: Record<string, unknown>;
    reasons: string[];
    message: string;
}> {
    try {
        await p;
    } catch (err) {
        return err as never;
    }
    throw new Error("expected a rejection");
}

describe("alicloud.InstanceRefresh provider", () => {
    test("create starts one refresh with the request ESS expects, waits for Successful and reports it", async () => {
        const { ess, lines, provider } = setup();
        ess.nextScripts.push([
            progress(0, "Pending"),
            progress(2),
            progress(2, "CheckpointPause"),
            progress(4, "Successful"),
        ]);
        const result = await provider.create(inputs());
        expect(ess.ops()).toEqual([
            "DescribeScalingGroups",
            "Start",
            "Describe",
            "Describe",
            "Describe",
            "Describe",
        ]);
        expect(ess.calls[1]!.args).toMatchObject({
            scalingGroupId: "asg-1",
            desiredConfiguration: { imageId: "m-2" },
            minHealthyPercentage: 80,
            maxHealthyPercentage: 120,
            skipMatching: true,
            checkpoints: [50, 100],
            checkpointPauseTime: 5,
            clientToken: expect.stringMatching(/^pr-[0-9a-f]{61}$/),
        });
        expect(result.id).toBe("ir-1");
        expect(result.outs).toMatchObject({
            instanceRefreshTaskId: "ir-1",
            status: "Successful",
            finishedUpdateCapacity: 4,
        });
        expect(result.outs.__provider).toBeUndefined();
        expect(lines).toContain("alicloud.InstanceRefresh web: started refresh ir-1");
        expect(
            lines.some((l) =>
                /CheckpointPause 2\/4 instances \(50%\), pausing at a checkpoint/.test(l),
            ),
        ).toBe(true);
        expect(lines[lines.length - 1]).toMatch(/refresh ir-1 succeeded in/);
    });

    test("a failed refresh rejects with partial state: the real task id and status, the provider kept", async () => {
        const { ess, provider } = setup();
        ess.nextScripts.push([
            progress(1),
            { ...progress(1, "Failed"), detail: "instance i-1 failed to start" },
        ]);
        const err = await rejection(provider.create(inputs()));
        expect(err.id).toBe("ir-1");
        expect(err.properties).toMatchObject({
            instanceRefreshTaskId: "ir-1",
            status: "Failed",
            detail: "instance i-1 failed to start",
            __provider: "serialized",
        });
        expect(err.message).toContain(
            "alicloud.InstanceRefresh web: refresh ir-1 ended Failed: instance i-1 failed to start",
        );
        expect(err.message).toContain("run `pulumi up` again to start a new refresh");
        expect(ess.ops()).not.toContain("Rollback");
    });

    test("onFailure rollback rolls back and waits for the rollback before failing", async () => {
        const { ess, provider } = setup();
        ess.nextScripts.push([{ ...progress(1, "Failed"), detail: "boom" }]);
        const err = await rejection(provider.create(inputs({ onFailure: "rollback" })));
        expect(ess.ops().filter((o) => o === "Rollback")).toHaveLength(1);
        expect(err.properties.status).toBe("RollbackSuccessful");
        expect(err.message).toContain("ended Failed: boom; the rollback ended RollbackSuccessful");
    });

    test("a rollback that fails is reported as such", async () => {
        const { ess, provider } = setup();
        ess.rollbackScript = [
            { status: "RollbackInProgress" },
            { status: "RollbackFailed", detail: "old image gone" },
        ];
        ess.nextScripts.push([{ ...progress(1, "Failed"), detail: "boom" }]);
        const err = await rejection(provider.create(inputs({ onFailure: "rollback" })));
        expect(err.properties.status).toBe("RollbackFailed");
        expect(err.message).toContain("the rollback ended RollbackFailed: old image gone");
    });

    test("at the timeout the refresh is cancelled (onTimeout cancel) and state says Cancelled", async () => {
        const { ess, clock, provider } = setup();
        ess.nextScripts.push([progress(1)]);
        const started = clock.now();
        const err = await rejection(provider.create(inputs({ timeoutMinutes: 5 })));
        expect(clock.now() - started).toBeGreaterThanOrEqual(5 * 60_000);
        expect(ess.ops()).toContain("Cancel");
        expect(err.properties.status).toBe("Cancelled");
        expect(err.message).toContain("did not finish within timeoutMinutes (5)");
        expect(err.message).toContain("it was cancelled and is now Cancelled");
    });

    test("onTimeout leave touches nothing and tells the user the next up waits on it", async () => {
        const { ess, provider } = setup();
        ess.nextScripts.push([progress(1)]);
        const err = await rejection(
            provider.create(inputs({ timeoutMinutes: 1, onTimeout: "leave" })),
        );
        expect(ess.ops()).not.toContain("Cancel");
        expect(err.properties.status).toBe("InProgress");
        expect(err.message).toContain("run `pulumi up` again to wait on it again.");
    });

    test("throttling while waiting is tolerated; the wait goes on", async () => {
        const { ess, lines, provider } = setup();
        ess.nextScripts.push([progress(4, "Successful")]);
        const describe = ess.describeInstanceRefreshes.bind(ess);
        let failures = 2;
        ess.describeInstanceRefreshes = async (req) => {
            if (req.instanceRefreshTaskIds && failures-- > 0) {
                throw essError("Throttling.User", "Request was denied due to user flow control.");
            }
            return describe(req);
        };
        const result = await provider.create(inputs());
        expect(result.outs.status).toBe("Successful");
        expect(
            lines.filter((l) => l.includes("Throttling.User") && l.includes("still waiting")),
        ).toHaveLength(2);
    });

    test("a group already up to date (NoInstanceNeedBeRefreshed) succeeds with status NotNeeded", async () => {
        const { ess, provider } = setup();
        ess.startErrors.push(
            essError("InvalidInstance.NoInstanceNeedBeRefreshed", "No instance need be refreshed."),
        );
        const result = await provider.create(inputs());
        expect(result.outs).toMatchObject({ status: "NotNeeded", instanceRefreshTaskId: null });
        expect(result.id).toBe("asg-1:no-refresh");
    });

    test("ESS's nothing-to-refresh is believed only when the group agrees (DescribeScalingInstances)", async () => {
        const nothing = () =>
            essError("InvalidInstance.NoInstanceNeedBeRefreshed", "No instance need be refreshed.");
        const target = { desiredConfiguration: { scalingConfigurationId: "asc-new" } };
        const on = (id: string, scalingConfigurationId: string) => ({
            instanceId: id,
            lifecycleState: "InService",
            creationType: "AutoCreated",
            scalingConfigurationId,
        });
        const { ess, provider } = setup();
        ess.groupFields = { activeScalingConfigurationId: "asc-new" };
        ess.instances = [on("i-1", "asc-new"), on("i-2", "asc-old"), on("i-3", "asc-old")];
        ess.startErrors.push(nothing());
        await expect(provider.create(inputs(target))).rejects.toThrow(
            /InvalidInstance\.NoInstanceNeedBeRefreshed.*but the group says otherwise: 2 of the group's instances in service do not run scaling configuration asc-new \(DescribeScalingInstances: i-2, i-3\)/,
        );
        expect(ess.calls.filter((c) => c.op === "DescribeScalingInstances")).not.toHaveLength(0);
        // Every instance on it: the group agrees.
        ess.instances = [on("i-1", "asc-new"), on("i-2", "asc-new")];
        ess.startErrors.push(nothing());
        const agreed = await provider.create(inputs({ ...target, triggers: { n: 2 } }));
        expect(agreed.outs).toMatchObject({ status: "NotNeeded" });
    });

    test("a ClientToken refused as reused with other parameters fails up with ESS's words, started once", async () => {
        const { ess, provider } = setup();
        ess.startErrors.push(
            essError(
                "IdempotentParameterMismatch",
                "The request uses the same client token as a previous, but non-identical request.",
            ),
        );
        await expect(provider.create(inputs())).rejects.toThrow(
            /IdempotentParameterMismatch: The request uses the same client token .*request id REQ-1.*nothing was started/,
        );
        expect(ess.calls.filter((c) => c.op === "Start")).toHaveLength(1);
    });

    test("a cloud error before the start fails plainly, naming the cloud's code and request id", async () => {
        const { ess, provider } = setup();
        ess.startErrors.push(
            essError(
                "InvalidParameter",
                "The specified parameter MinHealthyPercentage is not valid.",
            ),
        );
        const err = await rejection(provider.create(inputs()));
        expect(err.id).toBeUndefined();
        expect(err.message).toBe(
            "alicloud.InstanceRefresh web: ESS StartInstanceRefresh failed: HTTP 400 InvalidParameter: " +
                "The specified parameter MinHealthyPercentage is not valid. (request id REQ-1); " +
                "nothing was started: fix the cause and run `pulumi up` again",
        );
    });

    test("an unknown scaling group is reported before any mutating call", async () => {
        const { ess, provider } = setup();
        ess.groups = [];
        const err = await rejection(provider.create(inputs()));
        expect(err.message).toContain("ESS has no scaling group asg-1 in region cn-hangzhou");
        expect(ess.ops()).toEqual(["DescribeScalingGroups"]);
    });

    test("another refresh running: wait for it, then start ours", async () => {
        const { ess, lines, provider } = setup();
        ess.addTask("ir-other", [progress(1), progress(4, "Successful")]);
        ess.startErrors.push(essError("InstanceRefreshInProgress", "already running"));
        const result = await provider.create(inputs());
        expect(ess.ops().filter((o) => o === "Start")).toHaveLength(2);
        expect(ess.ops()).not.toContain("Cancel");
        expect(
            lines.some(
                (l) =>
                    l.includes("another refresh, ir-other") && l.includes('(onConflict: "wait")'),
            ),
        ).toBe(true);
        expect(result.outs.status).toBe("Successful");
    });

    // ESS documents no code for a start refused because a refresh is running: whatever the code,
    // the group's refreshes decide.
    test.each(["InstanceRefreshInProgress", "OperationDenied", "SomethingNew.GroupBusy"])(
        "a start refused with %s while another refresh runs: onConflict wait waits for it, then starts ours",
        async (code) => {
            const { ess, lines, provider } = setup();
            ess.addTask("ir-other", [progress(1), progress(4, "Successful")]);
            ess.startErrors.push(essError(code, "the group is busy"));
            const result = await provider.create(inputs());
            expect(ess.ops().filter((o) => o === "Start")).toHaveLength(2);
            expect(
                lines.some(
                    (l) =>
                        l.includes("another refresh, ir-other") &&
                        l.includes('(onConflict: "wait")'),
                ),
            ).toBe(true);
            expect(result.outs.status).toBe("Successful");
        },
    );

    test("a start refused with an unknown code and nothing running: the refusal stands, with ESS's code, message and request id", async () => {
        const { ess, provider } = setup();
        ess.startErrors.push(essError("SomethingNew.GroupBusy", "the group is busy"));
        const err = await rejection(provider.create(inputs()));
        expect(err.message).toContain(
            "ESS StartInstanceRefresh failed: HTTP 400 SomethingNew.GroupBusy: the group is busy (request id REQ-1)",
        );
        // One start, one look at the group's refreshes (before the start: none ended like ours;
        // after the refusal: none running), nothing retried.
        expect(ess.ops().filter((o) => o === "Start")).toHaveLength(1);
        expect(ess.ops().filter((o) => o === "Describe").length).toBeLessThanOrEqual(2);
    });

    test("a refusal for another reason (invalid parameter, permission) is not looked up as a conflict", async () => {
        for (const code of ["InvalidParameter", "Forbidden.RAM"]) {
            const { ess, provider } = setup();
            ess.addTask("ir-other", [progress(1), progress(4, "Successful")]);
            ess.startErrors.push(essError(code, "refused"));
            const err = await rejection(provider.create(inputs()));
            expect(err.message).toContain(code);
            expect({ code, starts: ess.ops().filter((o) => o === "Start").length }).toEqual({
                code,
                starts: 1,
            });
        }
    });

    test("a status this library does not know is taken as running, warned of once, and waited through", async () => {
        const { ess, lines, provider } = setup();
        ess.nextScripts.push([
            { status: "Rebalancing", totalNeedUpdateCapacity: 4, finishedUpdateCapacity: 1 },
            { status: "Rebalancing", totalNeedUpdateCapacity: 4, finishedUpdateCapacity: 2 },
            { status: "Rebalancing", totalNeedUpdateCapacity: 4, finishedUpdateCapacity: 3 },
            progress(4, "Successful"),
        ]);
        const result = await provider.create(inputs());
        expect(result.outs.status).toBe("Successful");
        const warnings = lines.filter((l) => l.includes('status "Rebalancing"'));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain("taking it as still running");
    });

    test("update: only waiting options changed makes no cloud call", async () => {
        const { ess, provider } = setup();
        const olds = {
            ...inputs(),
            instanceRefreshTaskId: "ir-9",
            status: "Successful",
            finishedUpdateCapacity: 4,
        };
        const result = await provider.update("ir-9", olds, inputs({ timeoutMinutes: 5 }));
        expect(ess.calls).toEqual([]);
        expect(result.outs).toMatchObject({
            instanceRefreshTaskId: "ir-9",
            status: "Successful",
            timeoutMinutes: 5,
        });
    });

    test("update: a refresh an earlier deploy left running is waited on, not restarted", async () => {
        const { ess, provider } = setup();
        ess.addTask("ir-9", [progress(3), progress(4, "Successful")]);
        const olds = { ...inputs(), instanceRefreshTaskId: "ir-9", status: "InProgress" };
        const result = await provider.update("ir-9", olds, inputs());
        expect(ess.ops()).not.toContain("Start");
        expect(result.outs).toMatchObject({ instanceRefreshTaskId: "ir-9", status: "Successful" });
    });

    test("update: a changed desired configuration starts a new refresh with a new token", async () => {
        const { ess, provider } = setup();
        const olds = { ...inputs(), instanceRefreshTaskId: "ir-9", status: "Successful" };
        await provider.update("ir-9", olds, inputs({ desiredConfiguration: { imageId: "m-3" } }));
        await provider.create(inputs({ desiredConfiguration: { imageId: "m-3" } }));
        const tokens = ess.calls
            .filter((c) => c.op === "Start")
            .map((c) => (c.args as { clientToken: string }).clientToken);
        expect(tokens).toHaveLength(2);
        expect(tokens[0]).not.toBe(tokens[1]);
    });

    test("delete cancels a running refresh and waits for Cancelled; otherwise it calls nothing mutating", async () => {
        const { ess, provider } = setup();
        ess.addTask("ir-9", [progress(2)]);
        await provider.delete("ir-9", {
            ...inputs(),
            instanceRefreshTaskId: "ir-9",
            status: "InProgress",
        });
        expect(ess.ops().filter((o) => o === "Cancel")).toHaveLength(1);

        const done = setup();
        done.ess.addTask("ir-8", [progress(4, "Successful")]);
        await done.provider.delete("ir-8", {
            ...inputs(),
            instanceRefreshTaskId: "ir-8",
            status: "Successful",
        });
        expect(done.ess.ops()).toEqual(["Describe"]);

        const gone = setup();
        await gone.provider.delete("ir-7", {
            ...inputs(),
            instanceRefreshTaskId: "ir-7",
            status: "InProgress",
        });
        expect(gone.ess.ops()).toEqual(["Describe"]);
    });

    test("read reports the task's current status", async () => {
        const { ess, provider } = setup();
        ess.addTask("ir-9", [{ ...progress(4, "RollbackSuccessful") }]);
        const r = await provider.read("ir-9", {
            ...inputs(),
            instanceRefreshTaskId: "ir-9",
            status: "Successful",
        });
        expect(r.props).toMatchObject({ status: "RollbackSuccessful" });
    });

    test("region: the argument, else the stack's alicloud:region, else ALIBABA_CLOUD_REGION_ID; none is a clear error", async () => {
        const a = setup({
            ALIBABA_CLOUD_REGION_ID: "cn-beijing",
            ALIBABA_CLOUD_ESS_ENDPOINT: "http://127.0.0.1:9999",
        });
        await a.provider.configure({
            config: { get: (k: string) => (k === "alicloud:region" ? "cn-shanghai" : undefined) },
        } as never);
        await a.provider.create(inputs());
        await a.provider.create(inputs({ region: "cn-shenzhen", endpoint: "127.0.0.1:8888" }));
        // Each create builds a client for its plan's reads, then one for the refresh.
        const shanghai = {
            region: "cn-shanghai",
            endpoint: { host: "127.0.0.1:9999", protocol: "http" },
        };
        const shenzhen = {
            region: "cn-shenzhen",
            endpoint: { host: "127.0.0.1:8888", protocol: "https" },
        };
        expect(a.targets).toEqual([shanghai, shanghai, shenzhen, shenzhen]);

        const b = setup({});
        await b.provider.create(inputs()).catch(() => undefined);
        await b.provider.create(inputs({ region: "cn-hangzhou" }));
        const hangzhou = {
            region: "cn-hangzhou",
            endpoint: { host: "ess.cn-hangzhou.aliyuncs.com", protocol: "https" },
        };
        // No region: neither the plan nor the refresh built a client.
        expect(b.targets).toEqual([hangzhou, hangzhou]);
        await expect(b.provider.create(inputs())).rejects.toThrow(
            "no Alibaba Cloud region: set the resource's `region` argument",
        );
    });

    test("check reports violations as Pulumi check failures with the property path", async () => {
        const { provider, ess } = setup();
        const r = await provider.check(
            {},
            {
                scalingGroupId: "asg-1",
                desiredConfiguration: { imageId: "m" },
                minHealthyPercentage: 101,
            },
        );
        expect(r.failures).toEqual([
            {
                property: "minHealthyPercentage",
                reason: "minHealthyPercentage must be an integer from 0 to 100; got 101",
            },
        ]);
        expect(ess.calls).toEqual([]);
    });

    test("a rollback ESS refuses fails at once with ESS's reason instead of waiting for nothing", async () => {
        const { ess, clock, provider } = setup();
        ess.nextScripts.push([{ ...progress(1, "Failed"), detail: "boom" }]);
        ess.rollbackInstanceRefresh = async () => {
            throw essError("OperationDenied", "The instance refresh task cannot be rolled back.");
        };
        const started = clock.now();
        const err = await rejection(provider.create(inputs({ onFailure: "rollback" })));
        expect(err.message).toContain(
            "OperationDenied: The instance refresh task cannot be rolled back.",
        );
        expect(err.properties).toMatchObject({ instanceRefreshTaskId: "ir-1", status: "Failed" });
        expect(clock.now() - started).toBeLessThan(60_000);
    });

    test("delete does not drop a refresh it cannot see: a permission error fails the destroy", async () => {
        const { ess, provider } = setup();
        ess.describeInstanceRefreshes = async () => {
            throw essError(
                "Forbidden.RAM",
                "User not authorized to operate on the specified resource.",
                403,
            );
        };
        await expect(
            provider.delete("ir-9", {
                ...inputs(),
                instanceRefreshTaskId: "ir-9",
                status: "InProgress",
            }),
        ).rejects.toThrow("Forbidden.RAM");
        const gone = setup();
        gone.ess.describeInstanceRefreshes = async () => {
            throw essError(
                "InvalidScalingGroupId.NotFound",
                "The specified scaling group does not exist.",
                404,
            );
        };
        await gone.provider.delete("ir-9", {
            ...inputs(),
            instanceRefreshTaskId: "ir-9",
            status: "InProgress",
        });
    });

    test("after ESS had nothing to refresh, going back to an earlier configuration gets a token of its own", async () => {
        const { ess, provider } = setup();
        const first = await provider.create(inputs());
        ess.startErrors.push(
            essError("InvalidInstance.NoInstanceNeedBeRefreshed", "No instance need be refreshed."),
        );
        const second = await provider.update(
            first.id,
            { ...first.outs },
            inputs({ desiredConfiguration: { imageId: "m-3" } }),
        );
        expect(second.outs).toMatchObject({ status: "NotNeeded" });
        await provider.update(first.id, { ...second.outs }, inputs());
        const tokens = ess.calls
            .filter((c) => c.op === "Start")
            .map((c) => (c.args as { clientToken: string }).clientToken);
        expect(tokens).toHaveLength(3);
        expect(new Set(tokens).size).toBe(3);
    });

    test("this resource's own previous refresh, still running, is superseded (cancelled), not treated as a conflict", async () => {
        const { ess, lines, provider } = setup();
        ess.addTask("ir-old", [progress(1)]);
        ess.startErrors.push(essError("InstanceRefreshInProgress", "already running"));
        const olds = { ...inputs(), instanceRefreshTaskId: "ir-old", status: "InProgress" };
        const result = await provider.update(
            "ir-old",
            olds,
            inputs({ onConflict: "fail", desiredConfiguration: { imageId: "m-3" } }),
        );
        expect(
            ess.calls
                .filter((c) => c.op === "Cancel")
                .map((c) => (c.args as { instanceRefreshTaskId: string }).instanceRefreshTaskId),
        ).toEqual(["ir-old"]);
        expect(
            lines.some((l) => l.includes("previous refresh ir-old") && l.includes("superseded")),
        ).toBe(true);
        expect(result.outs).toMatchObject({ status: "Successful" });
    });

    test("moved to another group: its refresh still running on the old group is cancelled there as superseded", async () => {
        const { ess, lines, provider } = setup();
        ess.groups = ["asg-1", "asg-2"];
        ess.addTask("ir-old", [progress(1)], "asg-1");
        const olds = { ...inputs(), instanceRefreshTaskId: "ir-old", status: "InProgress" };
        const result = await provider.update("ir-old", olds, inputs({ scalingGroupId: "asg-2" }));
        const cancels = ess.calls.filter((c) => c.op === "Cancel");
        expect(cancels.map((c) => c.args)).toEqual([
            { instanceRefreshTaskId: "ir-old", scalingGroupId: "asg-1" },
        ]);
        // The look and the cancel went to the old group; the new refresh to the new one.
        expect(
            ess.calls
                .filter((c) => c.op === "Describe")
                .map((c) => (c.args as { scalingGroupId: string }).scalingGroupId)[0],
        ).toBe("asg-1");
        expect(ess.calls.find((c) => c.op === "Start")?.args).toMatchObject({
            scalingGroupId: "asg-2",
        });
        expect(ess.ops().indexOf("Cancel")).toBeLessThan(ess.ops().indexOf("Start"));
        expect(
            lines.some(
                (l) =>
                    l.includes("previous refresh ir-old") &&
                    l.includes("on group asg-1") &&
                    l.includes("superseded by this change to group asg-2"),
            ),
        ).toBe(true);
        expect(result.outs).toMatchObject({ status: "Successful" });
    });

    test("moved to another group: an old refresh that has ended, or a group gone, is left alone", async () => {
        for (const [name, arrange] of [
            ["ended", (ess: FakeEss) => ess.addTask("ir-old", [progress(4, "Successful")])],
            ["gone", () => undefined],
        ] as const) {
            const { ess, provider } = setup();
            ess.groups = ["asg-1", "asg-2"];
            arrange(ess);
            const olds = { ...inputs(), instanceRefreshTaskId: "ir-old", status: "InProgress" };
            const result = await provider.update(
                "ir-old",
                olds,
                inputs({ scalingGroupId: "asg-2" }),
            );
            expect({ name, cancels: ess.ops().filter((o) => o === "Cancel").length }).toEqual({
                name,
                cancels: 0,
            });
            expect(result.outs).toMatchObject({ status: "Successful" });
        }
    });

    test("moved to another group: a failed look at the old refresh fails the update before anything starts", async () => {
        const { ess, provider } = setup();
        ess.groups = ["asg-1", "asg-2"];
        ess.describeInstanceRefreshes = () =>
            Promise.reject(essError("Forbidden.RAM", "no permission to describe", 403));
        const olds = { ...inputs(), instanceRefreshTaskId: "ir-old", status: "InProgress" };
        await expect(
            provider.update("ir-old", olds, inputs({ scalingGroupId: "asg-2" })),
        ).rejects.toThrow(
            /could not look at this resource's previous refresh ir-old on group asg-1, which this change supersedes: .*Forbidden\.RAM.*nothing was started/,
        );
        expect(ess.ops()).not.toContain("Start");
    });

    test("a conflict that ends too close to the deadline starts nothing", async () => {
        const { ess, provider } = setup();
        ess.addTask("ir-other", [
            ...Array.from({ length: 40 }, () => progress(1)),
            progress(4, "Successful"),
        ]);
        ess.startErrors.push(essError("InstanceRefreshInProgress", "already running"));
        const err = await rejection(provider.create(inputs({ timeoutMinutes: 10 })));
        expect(err.message).toMatch(/nothing was started/);
        expect(ess.ops().filter((o) => o === "Start")).toHaveLength(1);
    });
});
