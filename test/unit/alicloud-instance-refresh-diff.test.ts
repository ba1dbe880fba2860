import { diffInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/diff";

const inputs = {
    scalingGroupId: "asg-1",
    desiredConfiguration: { imageId: "m-1" },
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    skipMatching: true,
    checkpoints: [50, 100],
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
        ["checkpoints", [25, 100]],
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
            expect(diffInstanceRefresh({ ...olds, status }, { ...inputs })).toMatchObject({
                changes: true,
                startsRefresh: true,
            });
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
        const reordered = {
            ...inputs,
            desiredConfiguration: { imageId: "m-1" },
            triggers: { release: "1" },
            region: undefined,
        };
        expect(diffInstanceRefresh(olds, reordered).changes).toBe(false);
    });

    test("a refresh whose status an interrupted deployment never saw is waited on, never restarted", () => {
        expect(diffInstanceRefresh({ ...olds, status: null }, { ...inputs })).toMatchObject({
            startsRefresh: false,
            resumesWait: true,
        });
    });

    test("a refresh being cancelled or rolled back ends unsuccessfully: a new one starts after it", () => {
        for (const status of ["Cancelling", "RollbackInProgress"]) {
            expect(diffInstanceRefresh({ ...olds, status }, { ...inputs })).toMatchObject({
                startsRefresh: true,
                resumesWait: false,
            });
        }
    });

    test("ESS having had nothing to refresh counts as done", () => {
        expect(
            diffInstanceRefresh(
                { ...olds, instanceRefreshTaskId: null, status: "NotNeeded" },
                { ...inputs },
            ).changes,
        ).toBe(false);
    });

    test("checkpointPauseMinutes without checkpoints is not sent, so its change starts nothing", () => {
        const noCheckpoints = { ...olds, checkpoints: undefined };
        expect(
            diffInstanceRefresh(noCheckpoints, {
                ...inputs,
                checkpoints: undefined,
                checkpointPauseMinutes: 5,
            }).changes,
        ).toBe(false);
        expect(
            diffInstanceRefresh(olds, { ...inputs, checkpointPauseMinutes: 5 }).startsRefresh,
        ).toBe(true);
    });
});
