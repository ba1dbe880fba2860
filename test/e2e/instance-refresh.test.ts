/**
 * alicloud.InstanceRefresh with the real Pulumi CLI and a file backend, against the ESS simulator:
 * what `pulumi preview` / `up` / `refresh` print, what the simulator received, what state holds.
 */
import { MUTATING, Sandbox, SECRET } from "./harness";

jest.setTimeout(180_000);

describe("a refresh declared in a stack", () => {
    const sandbox = new Sandbox([{ scalingGroupId: "asg-sandbox-web", capacity: 6 }], {
        pendingSeconds: 1,
        batchSeconds: 2,
    });
    beforeAll(() => sandbox.start());
    afterAll(() => sandbox.stop());

    const starts = (): number => sandbox.sim.callsTo("StartInstanceRefresh").length;

    test("pulumi preview shows the refresh to create and makes no cloud call", async () => {
        const run = await sandbox.pulumi("preview");
        expect(run.code).toBe(0);
        expect(run.output).toMatch(
            /\+\s+pulumi-nodejs:dynamic\/rollout:alicloud\.InstanceRefresh\s+web\s+create/,
        );
        expect(sandbox.sim.calls).toEqual([]);
    });

    test("pulumi up starts one refresh, shows its progress and returns only after Successful", async () => {
        const run = await sandbox.pulumi("up");
        expect(run.code).toBe(0);
        expect(starts()).toBe(1);
        const [refresh] = sandbox.sim.refreshes("asg-sandbox-web");
        expect(refresh?.Status).toBe("Successful");
        // Progress lines, in order, ending with the success.
        const progress =
            run.output.match(/refresh ir-\w+: (Pending|InProgress|Successful) \d+\/6 instances/g) ??
            [];
        expect(progress.length).toBeGreaterThanOrEqual(2);
        expect(progress.some((l) => l.includes("InProgress"))).toBe(true);
        expect(progress[progress.length - 1]).toContain("Successful 6/6 instances");
        expect(run.output).toMatch(/refresh ir-\w+ succeeded in/);
        expect(run.outputs).toMatchObject({
            status: "Successful",
            taskId: refresh?.InstanceRefreshTaskId,
            replaced: "6/6",
        });

        const state = sandbox.refreshState();
        expect(state.outputs).toMatchObject({
            instanceRefreshTaskId: refresh?.InstanceRefreshTaskId,
            status: "Successful",
            totalNeedUpdateCapacity: 6,
            finishedUpdateCapacity: 6,
        });
        // The region came from the stack config through the provider's configure.
        expect(sandbox.sim.callsTo("StartInstanceRefresh")[0]?.params.RegionId).toBe("cn-hangzhou");
    });

    test("the access key secret is nowhere in the state file or the output", async () => {
        const run = await sandbox.pulumi("up");
        expect(sandbox.stateText()).not.toContain(SECRET);
        expect(run.output).not.toContain(SECRET);
        // The serialized provider holds no code of ours beyond a require by package name.
        const provider = String(sandbox.refreshState().outputs.__provider);
        expect(provider).toContain('require("pulumi-rollout/provider")');
        expect(provider.length).toBeLessThan(16 * 1024);
    });

    test("a second pulumi up with nothing changed starts nothing", async () => {
        const before = starts();
        const run = await sandbox.pulumi("up");
        expect(run.code).toBe(0);
        expect(run.output).toMatch(/2 unchanged/);
        expect(starts()).toBe(before);
    });

    test("a changed trigger shows an update in preview and starts a new refresh on up", async () => {
        const before = starts();
        const firstTask = sandbox.refreshState().outputs.instanceRefreshTaskId;
        // The group already runs this image (ESS updated it): only skipMatching false replaces
        // the instances again.
        const preview = await sandbox.pulumi("preview", { release: "2", skipMatching: false });
        expect(preview.code).toBe(0);
        expect(preview.output).toMatch(
            /~\s+pulumi-nodejs:dynamic\/rollout:alicloud\.InstanceRefresh\s+web\s+update/,
        );
        expect(sandbox.sim.calls.filter((c) => MUTATING.includes(c.action)).length).toBe(before);

        const up = await sandbox.pulumi("up", { release: "2", skipMatching: false });
        expect(up.code).toBe(0);
        expect(starts()).toBe(before + 1);
        const newTask = sandbox.refreshState().outputs.instanceRefreshTaskId;
        expect(newTask).not.toBe(firstTask);
        expect(
            sandbox.sim.refreshes("asg-sandbox-web").map((r) => r.InstanceRefreshTaskId),
        ).toContain(newTask);
        expect(sandbox.refreshState().outputs.status).toBe("Successful");
    });

    test("pulumi refresh reads the task's current status", async () => {
        const describes = sandbox.sim.callsTo("DescribeInstanceRefreshes").length;
        const run = await sandbox.pulumi("refresh", { release: "2", skipMatching: false });
        expect(run.code).toBe(0);
        expect(sandbox.sim.callsTo("DescribeInstanceRefreshes").length).toBe(describes + 1);
        expect(sandbox.refreshState().outputs.status).toBe("Successful");
    });
});

describe("invalid arguments", () => {
    const sandbox = new Sandbox([{ scalingGroupId: "asg-sandbox-web", capacity: 6 }], {});
    beforeAll(() => sandbox.start());
    afterAll(() => sandbox.stop());

    test("fail pulumi preview naming each property and its range, with no cloud call", async () => {
        const run = await sandbox.pulumi("preview", {
            minHealthyPercentage: 150,
            maxHealthyPercentage: 99,
            checkpoints: [50, 40],
            onFailure: "retry",
        });
        expect(run.code).not.toBe(0);
        expect(run.output).toContain(
            "minHealthyPercentage must be an integer from 0 to 100; got 150",
        );
        expect(run.output).toContain(
            "maxHealthyPercentage must be an integer from 100 to 200; got 99",
        );
        expect(run.output).toContain("checkpoints[1] must be greater than the one before it (50)");
        expect(run.output).toContain("checkpoints must end with 100");
        expect(run.output).toContain('onFailure must be one of "rollback", "fail"; got "retry"');
        expect(sandbox.sim.calls).toEqual([]);
    });
});
