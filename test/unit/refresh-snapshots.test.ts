import { snapshotOf } from "../../src/resources/alicloudInstanceRefresh/taskApi";
import { asgSnapshotOf } from "../../src/resources/awsInstanceRefresh/taskApi";

describe("ESS Describe → poller progress (snapshotOf)", () => {
    const task = (status: string, done: number, extra = {}) =>
        snapshotOf({
            instanceRefreshTaskId: "ir-1",
            scalingGroupId: "asg-1",
            status,
            totalNeedUpdateCapacity: 20,
            finishedUpdateCapacity: done,
            ...extra,
        });

    test("progress is the replaced fraction while the refresh moves forward", () => {
        expect(task("InProgress", 5).progress).toBeCloseTo(0.25);
    });

    test("during a rollback, the rollback's progress: FinishedUpdateCapacity going down rises", () => {
        const a = task("RollbackInProgress", 10);
        const b = task("RollbackInProgress", 4);
        expect(a.progress).toBeCloseTo(0.5);
        expect(b.progress).toBeCloseTo(0.8);
        // The summary still shows the group's own count.
        expect(b.summary).toContain("4/20 instances (20%)");
    });

    test("a checkpoint pause is quiet for its CheckpointPauseTime", () => {
        expect(task("CheckpointPause", 5, { checkpointPauseTime: 10 }).quietForMs).toBe(600_000);
        expect(task("InProgress", 5, { checkpointPauseTime: 10 }).quietForMs).toBeUndefined();
    });
});

describe("Auto Scaling Describe → poller progress (asgSnapshotOf)", () => {
    const refresh = (status: string, pct: number, extra = {}) =>
        asgSnapshotOf({
            instanceRefreshId: "r-1",
            autoScalingGroupName: "web",
            status,
            percentageComplete: pct,
            instancesToUpdate: Math.round(((100 - pct) * 20) / 100),
            ...extra,
        });
    const checkpoints = {
        preferences: { checkpointPercentages: [25, 50, 100], checkpointDelaySeconds: 600 },
    };

    test("during a rollback, progress is PercentageCompleteOnRollback", () => {
        const r = refresh("RollbackInProgress", 50, {
            rollbackDetails: { percentageCompleteOnRollback: 30 },
        });
        expect(r.progress).toBeCloseTo(0.3);
        // Without RollbackDetails, PercentageComplete going back down to 0.
        expect(refresh("RollbackInProgress", 40).progress).toBeCloseTo(0.6);
        expect(refresh("InProgress", 40).progress).toBeCloseTo(0.4);
    });

    test("a checkpoint just reached is quiet for CheckpointDelay; the batches after it are not", () => {
        expect(refresh("InProgress", 25, checkpoints).quietForMs).toBe(600_000);
        expect(refresh("InProgress", 50, checkpoints).quietForMs).toBe(600_000);
        expect(refresh("InProgress", 30, checkpoints).quietForMs).toBeUndefined();
        expect(refresh("InProgress", 20, checkpoints).quietForMs).toBeUndefined();
        expect(refresh("InProgress", 100, checkpoints).quietForMs).toBeUndefined();
        expect(refresh("Pending", 25, checkpoints).quietForMs).toBeUndefined();
        // CheckpointDelay defaults to one hour.
        const noDelay = { preferences: { checkpointPercentages: [25, 100] } };
        expect(refresh("InProgress", 25, noDelay).quietForMs).toBe(3_600_000);
        expect(refresh("InProgress", 25).quietForMs).toBeUndefined();
    });

    test("Baking is quiet for BakeTime", () => {
        const r = refresh("Baking", 100, { preferences: { bakeTimeSeconds: 300 } });
        expect(r.quietForMs).toBe(300_000);
    });
});
