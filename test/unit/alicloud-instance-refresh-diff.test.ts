import { diffInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/diff";

const inputs = {
    scalingGroupId: "asg-1",
    desiredConfiguration: { imageId: "m-1" },
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    skipMatching: true,
    checkpointPauseMinutes: 60,
    triggers: { release: "1" },
    timeoutMinutes: 60,
    onFailure: "fail",
    onTimeout: "cancel",
    onConflict: "wait",
};
const olds = { ...inputs, instanceRefreshTaskId: "ir-1", status: "Successful" };

describe("alicloud.InstanceRefresh diff", () => {
    test("nothing changed after a successful refresh: no change", () => {
        expect(diffInstanceRefresh(olds, { ...inputs })).toEqual({
            changes: false,
            startsRefresh: false,
            resumesWait: false,
            changedKeys: [],
        });
    });

    test.each([
        ["scalingGroupId", "asg-2"],
        ["region", "cn-shanghai"],
        ["desiredConfiguration", { imageId: "m-2" }],
        ["minHealthyPercentage", 50],
        ["maxHealthyPercentage", 150],
        ["skipMatching", false],
        ["checkpoints", [50, 100]],
        ["checkpointPauseMinutes", 10],
        ["triggers", { release: "2" }],
    ])("a change of %s starts a new refresh", (key, value) => {
        const d = diffInstanceRefresh(olds, { ...inputs, [key]: value });
        expect(d).toMatchObject({ changes: true, startsRefresh: true, changedKeys: [key] });
    });

    test.each([
        ["timeoutMinutes", 5],
        ["onFailure", "rollback"],
        ["onTimeout", "leave"],
        ["onConflict", "fail"],
        ["endpoint", "127.0.0.1:9000"],
    ])("a change of only %s is an update that starts nothing", (key, value) => {
        expect(diffInstanceRefresh(olds, { ...inputs, [key]: value })).toMatchObject({
            changes: true,
            startsRefresh: false,
            resumesWait: false,
        });
    });

    test("a refresh that ended without success is retried", () => {
        for (const status of ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]) {
            expect(diffInstanceRefresh({ ...olds, status }, { ...inputs })).toMatchObject({ changes: true, startsRefresh: true });
        }
    });

    test("a refresh still running is waited on again, not restarted", () => {
        for (const status of ["Pending", "InProgress", "Paused", "CheckpointPause"]) {
            expect(diffInstanceRefresh({ ...olds, status }, { ...inputs })).toMatchObject({
                changes: true,
                startsRefresh: false,
                resumesWait: true,
            });
        }
    });

    test("key order and unset optional inputs do not count as changes", () => {
        const reordered = { ...inputs, desiredConfiguration: { imageId: "m-1" }, triggers: { release: "1" }, checkpoints: undefined };
        expect(diffInstanceRefresh(olds, reordered).changes).toBe(false);
    });
});
