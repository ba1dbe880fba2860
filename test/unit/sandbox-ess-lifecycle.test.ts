/**
 * The ESS simulator's lifecycle hooks, on virtual time: refresh batches wait for their lifecycle
 * actions, which end by bootstrap, by CompleteLifecycleAction or when their window (extended by
 * RecordLifecycleActionHeartbeat, within the vendor's caps) expires.
 */
import { ManualClock } from "../../src/sandbox/clock";
import {
    EssApiError,
    type EssLifecycleHookSeed,
    type EssScenario,
    RefreshEngine,
    type SimLifecycleAction,
    type SimRefresh,
    type StartRefreshInput,
} from "../../src/sandbox/ess";
import { ACTIONS } from "../../src/sandbox/ess/actions";

const T0 = Date.UTC(2025, 4, 16, 6, 27, 0);
const GROUP = "asg-web";
const REGION = "cn-hangzhou";
const HOOK = "ash-launch";

type HookSpec = Omit<EssLifecycleHookSeed, "scalingGroupId">;

/**
 * A 6-instance group (80/120: batches of 2, pendingSeconds 1, batchSeconds 10) with `hooks`,
 * on a ManualClock at T0.
 */
function world(hooks: HookSpec[], scenario: EssScenario = {}, capacity = 6) {
    const clock = new ManualClock(T0);
    let n = 0;
    const engine = new RefreshEngine({
        defaultScenario: scenario,
        newTaskId: () => `ir-test${++n}`,
    });
    engine.addGroup({ scalingGroupId: GROUP, capacity, lifecycleHooks: hooks }, clock.now());
    const start = (over: Partial<StartRefreshInput> = {}): string =>
        engine.start(
            {
                scalingGroupId: GROUP,
                regionId: REGION,
                minHealthyPercentage: 80,
                maxHealthyPercentage: 120,
                skipMatching: true,
                checkpointPauseTime: 60,
                checkpoints: [],
                desired: { ScalingConfigurationId: "asc-new" },
                ...over,
            },
            clock.now(),
        ).refresh.InstanceRefreshTaskId;
    /** Moves the clock to T0 + seconds. */
    const to = (seconds: number): void => clock.set(T0 + seconds * 1000);
    /** The task at T0 + seconds. */
    const at = (seconds: number, id: string): SimRefresh => {
        to(seconds);
        engine.advance(clock.now());
        const found = engine.list().find((r) => r.InstanceRefreshTaskId === id);
        if (!found) {
            throw new Error(`no task ${id}`);
        }
        return found;
    };
    /** The lifecycle actions at the clock's now, oldest first. */
    const actions = (
        status?: SimLifecycleAction["LifecycleActionStatus"],
    ): SimLifecycleAction[] => {
        engine.advance(clock.now());
        return engine.lifecycleActions(status ? { status } : {});
    };
    /** The only Pending action (fails the test when there is not exactly one). */
    const pending = (): SimLifecycleAction => {
        const list = actions("Pending");
        expect(list).toHaveLength(1);
        return list[0]!;
    };
    /** A RecordLifecycleActionHeartbeat through the action handler, at the clock's now. */
    const heartbeat = (
        a: Pick<SimLifecycleAction, "LifecycleHookId" | "LifecycleActionToken">,
        timeout?: string,
    ): void => {
        const p: Record<string, string> = {
            RegionId: REGION,
            lifecycleHookId: a.LifecycleHookId,
            lifecycleActionToken: a.LifecycleActionToken,
        };
        if (timeout !== undefined) {
            p["heartbeatTimeout"] = timeout;
        }
        ACTIONS["RecordLifecycleActionHeartbeat"]!(p, { engine, now: clock.now() });
    };
    const complete = (a: SimLifecycleAction, result?: string): void => {
        const p: Record<string, string> = {
            RegionId: REGION,
            LifecycleHookId: a.LifecycleHookId,
            LifecycleActionToken: a.LifecycleActionToken,
        };
        if (result !== undefined) {
            p["LifecycleActionResult"] = result;
        }
        ACTIONS["CompleteLifecycleAction"]!(p, { engine, now: clock.now() });
    };
    /** The scaling activities at the clock's now, newest first. */
    const activities = (id: string) => {
        engine.advance(clock.now());
        return engine.scalingActivities({ instanceRefreshTaskId: id });
    };
    return { clock, engine, start, to, at, actions, pending, heartbeat, complete, activities };
}

function iso(seconds: number): string {
    return new Date(T0 + seconds * 1000).toISOString().replace(".000Z", "Z");
}

function ms(seconds: number): number {
    return T0 + seconds * 1000;
}

function codeOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        if (e instanceof EssApiError) {
            return e.code;
        }
        throw e;
    }
    throw new Error("expected an EssApiError");
}

/** The parameter a MissingParameter error names (ESS's documented shape), or its code otherwise. */
function missingOf(fn: () => unknown): string {
    const err = errorOf(fn);
    const named = /^The input parameter "([^"]+)" that is mandatory/.exec(err.message);
    return err.code === "MissingParameter" && named ? `missing ${named[1]}` : err.code;
}

function errorOf(fn: () => unknown): EssApiError {
    try {
        fn();
    } catch (e) {
        if (e instanceof EssApiError) {
            return e;
        }
        throw e;
    }
    throw new Error("expected an EssApiError");
}

const hook = (over: Partial<HookSpec> = {}): HookSpec => ({
    lifecycleHookId: HOOK,
    lifecycleHookName: "wait-for-bootstrap",
    lifecycleTransition: "SCALE_OUT",
    defaultResult: "ABANDON",
    heartbeatTimeout: 600,
    ...over,
});

describe("refresh batches without lifecycle hooks", () => {
    it("keep their timings, and each batch is a Successful scaling activity", () => {
        const w = world([]);
        const id = w.start();
        expect(w.at(30.9, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 4 });
        expect(w.at(31, id)).toMatchObject({ Status: "Successful", EndTime: iso(31) });
        const activities = w.engine.scalingActivities({ instanceRefreshTaskId: id });
        expect(activities.map((a) => [a.StatusCode, a.CreatedCapacity, a.startedAt])).toEqual([
            ["Successful", 2, ms(21)],
            ["Successful", 2, ms(11)],
            ["Successful", 2, ms(1)],
        ]);
        expect(activities[0]).toMatchObject({
            ScalingGroupId: GROUP,
            Progress: 100,
            TotalCapacity: "6",
            Description: 'Add "2" ECS instance(s)',
        });
        expect(activities[0]?.CreatedInstances).toHaveLength(2);
        expect(w.actions()).toEqual([]);
    });

    it("ignore InActive hooks and SCALE_IN hooks", () => {
        const w = world([
            hook({ lifecycleHookStatus: "InActive" }),
            hook({
                lifecycleHookId: "ash-in",
                lifecycleHookName: "in",
                lifecycleTransition: "SCALE_IN",
            }),
        ]);
        const id = w.start();
        expect(w.at(31, id)).toMatchObject({ Status: "Successful", EndTime: iso(31) });
        expect(w.actions()).toEqual([]);
    });
});

describe("lifecycle hooks on refresh batches", () => {
    it("hold a batch until the instances finish their bootstrap (shorter than the timeout)", () => {
        const w = world([hook()], { bootstrapSeconds: 120 });
        const id = w.start();
        expect(w.at(1, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 0 });
        const first = w.pending();
        expect(first).toMatchObject({
            LifecycleHookId: HOOK,
            LifecycleActionStatus: "Pending",
            LifecycleActionResult: "ABANDON",
            instanceRefreshTaskId: id,
            pendingSince: ms(1),
            deadline: ms(601),
            bootstrapAt: ms(121),
            heartbeats: [],
        });
        expect(first.LifecycleActionToken).toMatch(
            /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/,
        );
        expect(first.InstanceIds).toHaveLength(2);
        const [activity] = w.engine.scalingActivities({ instanceRefreshTaskId: id });
        expect(activity).toMatchObject({
            ScalingActivityId: first.scalingActivityId,
            StatusCode: "InProgress",
            Progress: 0,
            CreatedInstances: first.InstanceIds,
        });
        expect(activity?.StatusMessage).toContain(HOOK);

        expect(w.at(120.9, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(121, id).FinishedUpdateCapacity).toBe(0);
        expect(w.actions()[0]).toMatchObject({
            LifecycleActionStatus: "Completed",
            LifecycleActionResult: "CONTINUE",
            endedBy: "bootstrap",
            endedAt: ms(121),
        });
        // The batch's own 10 s start when the wait ends.
        expect(w.at(130.9, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(131, id).FinishedUpdateCapacity).toBe(2);
        expect(w.at(391, id)).toMatchObject({
            Status: "Successful",
            FinishedUpdateCapacity: 6,
            EndTime: iso(391),
        });
        const all = w.actions();
        expect(all).toHaveLength(3);
        expect(all.map((a) => a.pendingSince)).toEqual([ms(1), ms(131), ms(261)]);
        expect(new Set(all.map((a) => a.LifecycleActionToken)).size).toBe(3);
        expect(
            w.engine.scalingActivities({ instanceRefreshTaskId: id }).map((a) => a.StatusCode),
        ).toEqual(["Successful", "Successful", "Successful"]);
    });

    it.each(["ABANDON", "ROLLBACK"] as const)(
        "fail the refresh when the window expires first and the default result is %s",
        (defaultResult) => {
            const w = world([hook({ defaultResult, heartbeatTimeout: 60 })], {
                bootstrapSeconds: 120,
            });
            const id = w.start();
            expect(w.at(60.9, id).Status).toBe("InProgress");
            const task = w.at(61, id);
            expect(task).toMatchObject({
                Status: "Failed",
                FinishedUpdateCapacity: 0,
                EndTime: iso(61),
            });
            expect(task.Detail).toMatch(/^The instance refresh task failed because new instances/);
            expect(task.Detail).toContain('lifecycle hook "wait-for-bootstrap" (ash-launch)');
            expect(task.Detail).toContain(`timed out after 60 seconds`);
            expect(task.Detail).toContain(`default result is ${defaultResult}`);
            const [action] = w.actions();
            expect(action).toMatchObject({
                LifecycleActionStatus: "Timeout",
                LifecycleActionResult: defaultResult,
                endedBy: "timeout",
                endedAt: ms(61),
            });
            expect(task.Detail).toContain(action!.InstanceIds.join(", "));
            const [activity] = w.engine.scalingActivities({ instanceRefreshTaskId: id });
            expect(activity).toMatchObject({
                StatusCode: "Failed",
                DestroyedInstances: action!.InstanceIds,
                DestroyedCapacity: 2,
            });
            expect(activity?.ErrorMessage).toContain("were released");
            // Nothing moves any more, and the failed refresh can be rolled back.
            expect(w.at(1000, id).Status).toBe("Failed");
            w.engine.rollback(GROUP, REGION, id, w.clock.now());
            expect(w.at(1010, id).Status).toBe("RollbackSuccessful");
        },
    );

    it("let the batch go on when the window expires and the default result is CONTINUE", () => {
        const w = world([hook({ defaultResult: "CONTINUE", heartbeatTimeout: 60 })]);
        const id = w.start();
        expect(w.at(60.9, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(71, id).FinishedUpdateCapacity).toBe(2);
        expect(w.at(211, id)).toMatchObject({ Status: "Successful", EndTime: iso(211) });
        expect(w.actions().map((a) => [a.LifecycleActionStatus, a.LifecycleActionResult])).toEqual([
            ["Timeout", "CONTINUE"],
            ["Timeout", "CONTINUE"],
            ["Timeout", "CONTINUE"],
        ]);
    });

    it("wait for every hook of the group: one action per hook and batch", () => {
        const w = world(
            [
                hook({ defaultResult: "CONTINUE", heartbeatTimeout: 60 }),
                hook({
                    lifecycleHookId: "ash-second",
                    lifecycleHookName: "second",
                    defaultResult: "CONTINUE",
                    heartbeatTimeout: 90,
                }),
            ],
            {},
        );
        const id = w.start();
        w.to(1);
        const both = w.actions("Pending");
        expect(both.map((a) => a.LifecycleHookId)).toEqual([HOOK, "ash-second"]);
        expect(both[0]?.scalingActivityId).toBe(both[1]?.scalingActivityId);
        expect(both[0]?.InstanceIds).toEqual(both[1]?.InstanceIds);
        expect(w.at(61, id).FinishedUpdateCapacity).toBe(0);
        expect(w.actions("Pending").map((a) => a.LifecycleHookId)).toEqual(["ash-second"]);
        expect(w.at(100.9, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(101, id).FinishedUpdateCapacity).toBe(2);
    });

    it("run per-batch bootstrap times (bootstrapSecondsByBatch, the last repeats)", () => {
        const w = world([hook({ heartbeatTimeout: 100 })], {
            bootstrapSecondsByBatch: [5, 50],
        });
        const id = w.start();
        // Batch 1: 1 -> 6 (bootstrap) -> 16; batch 2: 16 -> 66 -> 76; batch 3: 76 -> 126 -> 136.
        expect(w.at(16, id).FinishedUpdateCapacity).toBe(2);
        expect(w.at(76, id).FinishedUpdateCapacity).toBe(4);
        expect(w.at(136, id)).toMatchObject({ Status: "Successful", EndTime: iso(136) });
        expect(w.actions().map((a) => (a.endedAt! - a.pendingSince) / 1000)).toEqual([5, 50, 50]);
    });
});

describe("RecordLifecycleActionHeartbeat", () => {
    it("moves the end of the window to now + heartbeatTimeout, recording each heartbeat", () => {
        const w = world([hook({ heartbeatTimeout: 60 })], { bootstrapSeconds: 300 });
        const id = w.start();
        w.to(31);
        const action = w.pending();
        w.heartbeat(action, "60");
        expect(w.pending().deadline).toBe(ms(91));
        expect(w.at(90.9, id).Status).toBe("InProgress");
        w.heartbeat(action, "300");
        expect(w.pending()).toMatchObject({
            deadline: ms(390.9),
            heartbeats: [
                { at: ms(31), heartbeatTimeout: 60, deadline: ms(91) },
                { at: ms(90.9), heartbeatTimeout: 300, deadline: ms(390.9) },
            ],
        });
        // Without the heartbeats the window would have ended at 61 (ABANDON); the bootstrap wins.
        expect(w.at(301, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 0 });
        expect(w.actions()[0]).toMatchObject({
            LifecycleActionStatus: "Completed",
            endedBy: "bootstrap",
        });
        expect(w.at(311, id).FinishedUpdateCapacity).toBe(2);
    });

    it("can also shorten the window, and defaults heartbeatTimeout to 600", () => {
        const w = world([hook({ heartbeatTimeout: 3600, defaultResult: "CONTINUE" })]);
        const id = w.start();
        w.to(101);
        const action = w.pending();
        w.heartbeat(action, "30");
        expect(w.pending().deadline).toBe(ms(131));
        expect(w.at(131, id).FinishedUpdateCapacity).toBe(0);
        expect(w.actions()[0]).toMatchObject({
            LifecycleActionStatus: "Timeout",
            endedAt: ms(131),
        });
        expect(w.at(141, id).FinishedUpdateCapacity).toBe(2);
        w.to(150);
        const next = w.pending();
        w.heartbeat(next);
        expect(w.pending()).toMatchObject({
            deadline: ms(750),
            heartbeats: [{ heartbeatTimeout: 600 }],
        });
    });

    it("refuses the 21st heartbeat of a Pending period with LifecycleAction.RecordTimesExceeded", () => {
        const w = world([hook({ heartbeatTimeout: 600 })]);
        w.start();
        w.to(1);
        const action = w.pending();
        for (let i = 1; i <= 20; i++) {
            w.to(1 + i * 30);
            w.heartbeat(action, "600");
        }
        expect(w.pending().heartbeats).toHaveLength(20);
        expect(w.pending().deadline).toBe(ms(601 + 600));
        w.to(631);
        const err = errorOf(() => w.heartbeat(action, "600"));
        expect(err).toMatchObject({
            httpStatus: 400,
            code: "LifecycleAction.RecordTimesExceeded",
            message: "The specified lifecycleAction exceed lifecycleAction max record times.",
        });
        // The refused heartbeat changes nothing: the window still ends at 1201.
        expect(w.pending()).toMatchObject({ deadline: ms(1201) });
        expect(w.pending().heartbeats).toHaveLength(20);
    });

    it("refuses a window ending more than 6 hours into Pending with LifecycleAction.TimeExceeded", () => {
        const w = world([hook({ heartbeatTimeout: 21600, defaultResult: "CONTINUE" })]);
        const id = w.start();
        w.to(1 + 3600);
        const action = w.pending();
        const err = errorOf(() => w.heartbeat(action, "21600"));
        expect(err).toMatchObject({
            httpStatus: 400,
            code: "LifecycleAction.TimeExceeded",
            message:
                "The specified parameter heartbeatTime exceed lifecycleAction max suspend time.",
        });
        // Up to exactly 6 hours is fine.
        w.heartbeat(action, String(5 * 3600));
        expect(w.pending().deadline).toBe(ms(1 + 6 * 3600));
        w.to(1 + 6 * 3600 - 60);
        expect(codeOf(() => w.heartbeat(action, "61"))).toBe("LifecycleAction.TimeExceeded");
        w.heartbeat(action, "60");
        expect(w.at(6 * 3600, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(1 + 6 * 3600, id).FinishedUpdateCapacity).toBe(0);
        expect(w.actions()[0]).toMatchObject({
            LifecycleActionStatus: "Timeout",
            endedAt: ms(1 + 6 * 3600),
        });
        expect(w.at(11 + 6 * 3600, id).FinishedUpdateCapacity).toBe(2);
    });

    it("answers LifecycleHookIdAndLifecycleActionToken.Invalid for a bad token, another hook, or an ended action", () => {
        const w = world([hook({ heartbeatTimeout: 60, defaultResult: "CONTINUE" })]);
        w.start();
        w.to(1);
        const action = w.pending();
        const invalid = "LifecycleHookIdAndLifecycleActionToken.Invalid";
        const err = errorOf(() =>
            w.heartbeat({ LifecycleHookId: HOOK, LifecycleActionToken: "F324B880-0000" }, "60"),
        );
        expect(err).toMatchObject({
            httpStatus: 400,
            code: invalid,
            message:
                "The specified lifecycleActionToken and LifecycleHookId you provided does not " +
                "match any in process lifecycle action.",
        });
        expect(codeOf(() => w.heartbeat({ ...action, LifecycleHookId: "ash-other" }, "60"))).toBe(
            invalid,
        );
        w.to(61);
        expect(codeOf(() => w.heartbeat(action, "60"))).toBe(invalid);
        expect(w.actions()[0]?.heartbeats).toEqual([]);
    });

    it("answers InvalidParamter (the vendor's spelling) for a heartbeatTimeout outside 30-21600", () => {
        const w = world([hook()]);
        w.start();
        w.to(1);
        const action = w.pending();
        for (const bad of ["29", "21601", "0", "-30", "abc", "60.5"]) {
            const err = errorOf(() => w.heartbeat(action, bad));
            expect(err.code).toBe("InvalidParamter");
            expect(err.httpStatus).toBe(400);
            expect(err.message).toMatch(/^The specified value of parameter is not valid\./);
            expect(err.message).toContain("heartbeatTimeout");
        }
        w.heartbeat(action, "30");
        w.heartbeat(action, "21600");
        expect(w.pending().heartbeats.map((h) => h.heartbeatTimeout)).toEqual([30, 21600]);
    });

    it("wants lifecycleHookId and lifecycleActionToken (lower camel case)", () => {
        const w = world([hook()]);
        w.start();
        w.to(1);
        const action = w.pending();
        const call = (p: Record<string, string>) => () =>
            ACTIONS["RecordLifecycleActionHeartbeat"]!(p, { engine: w.engine, now: w.clock.now() });
        expect(missingOf(call({ lifecycleActionToken: action.LifecycleActionToken }))).toBe(
            "missing lifecycleHookId",
        );
        expect(
            missingOf(
                call({
                    LifecycleHookId: action.LifecycleHookId,
                    LifecycleActionToken: action.LifecycleActionToken,
                }),
            ),
        ).toBe("missing lifecycleHookId");
    });
});

describe("CompleteLifecycleAction", () => {
    it("with CONTINUE ends the wait early; without a result applies the DefaultResult", () => {
        const w = world([hook({ defaultResult: "CONTINUE" })]);
        const id = w.start();
        w.to(5);
        w.complete(w.pending(), "CONTINUE");
        expect(w.actions()[0]).toMatchObject({
            LifecycleActionStatus: "Completed",
            LifecycleActionResult: "CONTINUE",
            endedBy: "CompleteLifecycleAction",
            endedAt: ms(5),
        });
        expect(w.at(15, id).FinishedUpdateCapacity).toBe(2);
        w.to(20);
        w.complete(w.pending());
        expect(w.actions()[1]).toMatchObject({ LifecycleActionResult: "CONTINUE" });
        expect(w.at(30, id).FinishedUpdateCapacity).toBe(4);
    });

    it("with ABANDON releases the instances and fails the refresh at once", () => {
        const w = world([hook({ defaultResult: "CONTINUE" })]);
        const id = w.start();
        w.to(5);
        const action = w.pending();
        w.complete(action, "ABANDON");
        const task = w.at(5, id);
        expect(task).toMatchObject({ Status: "Failed", EndTime: iso(5) });
        expect(task.Detail).toContain("was completed with ABANDON (CompleteLifecycleAction)");
        expect(codeOf(() => w.complete(action, "CONTINUE"))).toBe(
            "LifecycleHookIdAndLifecycleActionToken.Invalid",
        );
        w.to(6);
        expect(codeOf(() => w.complete(w.actions()[0]!, "MAYBE"))).toBe("InvalidParameter");
    });
});

describe("lifecycle actions and the refresh's other transitions", () => {
    it("keep timing out while the refresh is suspended; a resume goes on from there", () => {
        const w = world([hook({ defaultResult: "CONTINUE", heartbeatTimeout: 60 })]);
        const id = w.start();
        w.to(30);
        w.engine.suspend(GROUP, REGION, id, w.clock.now());
        expect(w.at(61, id).Status).toBe("Paused");
        expect(w.actions()[0]?.LifecycleActionStatus).toBe("Timeout");
        w.to(100);
        w.engine.resume(GROUP, REGION, id, w.clock.now());
        expect(w.at(109.9, id).FinishedUpdateCapacity).toBe(0);
        expect(w.at(110, id).FinishedUpdateCapacity).toBe(2);
    });

    it("fail the refresh on resume when a hook released the instances meanwhile", () => {
        const w = world([hook({ heartbeatTimeout: 60 })]);
        const id = w.start();
        w.to(30);
        w.engine.suspend(GROUP, REGION, id, w.clock.now());
        w.to(100);
        expect(w.activities(id)[0]?.StatusCode).toBe("Failed");
        w.engine.resume(GROUP, REGION, id, w.clock.now());
        const task = w.at(100, id);
        expect(task).toMatchObject({ Status: "Failed", EndTime: iso(100) });
        expect(task.Detail).toContain("default result is ABANDON");
    });

    it("a cancel fails the batch's activity; its action stays Pending until it ends on its own", () => {
        const w = world([hook({ heartbeatTimeout: 60 })]);
        const id = w.start();
        w.to(30);
        w.engine.cancel(GROUP, REGION, id, w.clock.now());
        const [activity] = w.engine.scalingActivities({ instanceRefreshTaskId: id });
        expect(activity).toMatchObject({ StatusCode: "Failed" });
        expect(activity?.StatusMessage).toMatch(/cancelled/);
        expect(w.pending().LifecycleHookId).toBe(HOOK);
        expect(w.at(40, id)).toMatchObject({ Status: "Cancelled", FinishedUpdateCapacity: 0 });
        w.to(61);
        expect(w.actions()[0]?.LifecycleActionStatus).toBe("Timeout");
        expect(w.at(61, id).Status).toBe("Cancelled");
    });

    it("rollback batches launch instances too, and wait for the hooks", () => {
        const w = world([hook({ heartbeatTimeout: 60, defaultResult: "CONTINUE" })], {
            bootstrapSeconds: 5,
        });
        const id = w.start();
        // Batch 1: 1 -> 6 -> 16.
        expect(w.at(16, id).FinishedUpdateCapacity).toBe(2);
        w.engine.rollback(GROUP, REGION, id, w.clock.now());
        const rollback = w.engine.scalingActivities({ instanceRefreshTaskId: id });
        expect(rollback.map((a) => a.StatusCode)).toEqual(["InProgress", "Failed", "Successful"]);
        expect(rollback[0]?.Cause).toMatch(/rollback/);
        expect(w.at(20.9, id).Status).toBe("RollbackInProgress");
        // 16 -> 21 (bootstrap) -> 31.
        expect(w.at(30.9, id).FinishedUpdateCapacity).toBe(2);
        expect(w.at(31, id)).toMatchObject({
            Status: "RollbackSuccessful",
            FinishedUpdateCapacity: 0,
            EndTime: iso(31),
        });
    });

    it("a released rollback batch ends the rollback RollbackFailed", () => {
        const w = world([hook({ heartbeatTimeout: 60, defaultResult: "CONTINUE" })], {
            bootstrapSecondsByBatch: [5, -1],
        });
        const id = w.start();
        expect(w.at(16, id).FinishedUpdateCapacity).toBe(2);
        w.engine.rollback(GROUP, REGION, id, w.clock.now());
        w.to(17);
        // Two actions are Pending: the dropped forward batch's, and the rollback batch's.
        const pending = w.actions("Pending");
        expect(pending).toHaveLength(2);
        w.complete(pending[1]!, "ROLLBACK");
        const task = w.at(17, id);
        expect(task).toMatchObject({ Status: "RollbackFailed", EndTime: iso(17) });
        expect(task.Detail).toMatch(/^The rollback of the instance refresh task failed/);
    });
});

describe("lifecycle hook seeds", () => {
    it("fill ESS's defaults and are described like DescribeLifecycleHooks", () => {
        const w = world([{ lifecycleHookId: "ash-min" }]);
        w.engine.addLifecycleHook(
            { scalingGroupId: GROUP, lifecycleHookName: "drain", lifecycleTransition: "SCALE_IN" },
            w.clock.now(),
        );
        const hooks = w.engine.lifecycleHooks({ scalingGroupId: GROUP });
        expect(hooks[0]).toEqual({
            ScalingGroupId: GROUP,
            LifecycleHookId: "ash-min",
            LifecycleHookName: "ash-min",
            LifecycleTransition: "SCALE_OUT",
            DefaultResult: "CONTINUE",
            HeartbeatTimeout: 600,
            LifecycleHookStatus: "Active",
            NotificationArn: `acs:ess:${REGION}:0:null/null`,
        });
        expect(hooks[1]?.LifecycleHookId).toMatch(/^ash-[0-9a-f]{20}$/);
        expect(w.engine.lifecycleHooks({ name: "drain" })).toHaveLength(1);
        expect(w.engine.lifecycleHooks({ ids: ["ash-min"] })).toHaveLength(1);
    });

    it("are validated: HeartbeatTimeout 30-21600, results, transitions, unique ids and names", () => {
        const w = world([]);
        const add = (h: Partial<EssLifecycleHookSeed>) => () =>
            w.engine.addLifecycleHook({ scalingGroupId: GROUP, ...h }, w.clock.now());
        expect(add({ heartbeatTimeout: 29 })).toThrow(/heartbeatTimeout.*30 to 21600/);
        expect(add({ heartbeatTimeout: 21601 })).toThrow(RangeError);
        expect(add({ defaultResult: "MAYBE" as never })).toThrow(/defaultResult/);
        expect(add({ lifecycleTransition: "SCALE_UP" as never })).toThrow(/lifecycleTransition/);
        expect(add({ scalingGroupId: "asg-nope" })).toThrow(/unknown scaling group/);
        add({ lifecycleHookId: "ash-1", lifecycleHookName: "one" })();
        expect(add({ lifecycleHookId: "ash-1", lifecycleHookName: "two" })).toThrow(/exists/);
        expect(add({ lifecycleHookId: "ash-2", lifecycleHookName: "one" })).toThrow(/named one/);
        expect(() =>
            new RefreshEngine().addGroup(
                { scalingGroupId: "asg-x", capacity: 1, lifecycleHooks: [{ heartbeatTimeout: 5 }] },
                T0,
            ),
        ).toThrow(RangeError);
    });
});

describe("Describe actions", () => {
    it("DescribeScalingActivities wants a group or activity ids, and filters by refresh task", () => {
        const w = world([]);
        const id = w.start();
        w.to(31);
        const ctx = { engine: w.engine, now: w.clock.now() };
        const describe = ACTIONS["DescribeScalingActivities"]!;
        expect(missingOf(() => describe({ RegionId: REGION }, ctx))).toBe("missing ScalingGroupId");
        const body = describe(
            { RegionId: REGION, ScalingGroupId: GROUP, InstanceRefreshTaskId: id, PageSize: "2" },
            ctx,
        );
        expect(body).toMatchObject({ TotalCount: 3, PageNumber: 1, PageSize: 2 });
        const [first] = body["ScalingActivities"] as Record<string, unknown>[];
        expect(first).not.toHaveProperty("instanceRefreshTaskId");
        expect(first).not.toHaveProperty("startedAt");
        expect(first).toMatchObject({
            StatusCode: "Successful",
            StartTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/),
        });
        const byId = describe(
            { RegionId: REGION, "ScalingActivityIds.1": String(first?.["ScalingActivityId"]) },
            ctx,
        );
        expect(byId["TotalCount"]).toBe(1);
        const none = describe(
            { RegionId: REGION, ScalingGroupId: GROUP, InstanceRefreshTaskId: "ir-other" },
            ctx,
        );
        expect(none["TotalCount"]).toBe(0);
        expect(codeOf(() => describe({ RegionId: REGION, ScalingGroupId: "asg-nope" }, ctx))).toBe(
            "InvalidScalingGroupId.NotFound",
        );
    });

    it("DescribeLifecycleActions pages with MaxResults and NextToken and filters by status", () => {
        const hooks = Array.from({ length: 3 }, (_, i) =>
            hook({ lifecycleHookId: `ash-${i}`, lifecycleHookName: `h${i}` }),
        );
        const w = world(hooks);
        w.start();
        w.to(1);
        const activityId = w.actions()[0]!.scalingActivityId;
        const ctx = { engine: w.engine, now: w.clock.now() };
        const describe = ACTIONS["DescribeLifecycleActions"]!;
        const page1 = describe(
            { RegionId: REGION, ScalingActivityId: activityId, MaxResults: "2" },
            ctx,
        );
        expect(page1).toMatchObject({ TotalCount: 3, MaxResults: 2 });
        const actions1 = page1["LifecycleActions"] as Record<string, unknown>[];
        expect(actions1.map((a) => a["LifecycleHookId"])).toEqual(["ash-0", "ash-1"]);
        expect(Object.keys(actions1[0]!).sort()).toEqual([
            "InstanceIds",
            "LifecycleActionResult",
            "LifecycleActionStatus",
            "LifecycleActionToken",
            "LifecycleHookId",
        ]);
        const page2 = describe(
            {
                ScalingActivityId: activityId,
                MaxResults: "2",
                NextToken: String(page1["NextToken"]),
            },
            ctx,
        );
        expect((page2["LifecycleActions"] as unknown[]).length).toBe(1);
        expect(page2["NextToken"]).toBeUndefined();
        const completed = describe(
            { ScalingActivityId: activityId, LifecycleActionStatus: "Completed" },
            ctx,
        );
        expect(completed["TotalCount"]).toBe(0);
        expect(missingOf(() => describe({ RegionId: REGION }, ctx))).toBe(
            "missing ScalingActivityId",
        );
        expect(
            codeOf(() =>
                describe({ ScalingActivityId: activityId, LifecycleActionStatus: "Done" }, ctx),
            ),
        ).toBe("InvalidParameter");
        expect(
            codeOf(() => describe({ ScalingActivityId: activityId, MaxResults: "51" }, ctx)),
        ).toBe("InvalidParameter");
    });

    it("DescribeLifecycleHooks pages with PageNumber and PageSize", () => {
        const hooks = Array.from({ length: 3 }, (_, i) =>
            hook({ lifecycleHookId: `ash-${i}`, lifecycleHookName: `h${i}` }),
        );
        const w = world(hooks);
        const ctx = { engine: w.engine, now: w.clock.now() };
        const describe = ACTIONS["DescribeLifecycleHooks"]!;
        const page2 = describe(
            { RegionId: REGION, ScalingGroupId: GROUP, PageNumber: "2", PageSize: "2" },
            ctx,
        );
        expect(page2).toMatchObject({ TotalCount: 3, PageNumber: 2, PageSize: 2 });
        expect(page2["LifecycleHooks"]).toEqual([
            expect.objectContaining({ LifecycleHookId: "ash-2", HeartbeatTimeout: 600 }),
        ]);
        const byName = describe(
            { RegionId: REGION, ScalingGroupId: GROUP, LifecycleHookName: "h1" },
            ctx,
        );
        expect(byName["TotalCount"]).toBe(1);
        expect(missingOf(() => describe({ ScalingGroupId: GROUP }, ctx))).toBe("missing RegionId");
        // Without a PageSize, a page of 50 (DescribeLifecycleHooks' documented default).
        expect(describe({ RegionId: REGION, ScalingGroupId: GROUP }, ctx)).toMatchObject({
            PageSize: 50,
            LifecycleHooks: expect.arrayContaining([expect.anything()]),
        });
    });

    it.each([
        ["DescribeInstanceRefreshes", "InstanceRefreshTaskIds", { ScalingGroupId: GROUP }],
        ["DescribeScalingGroups", "ScalingGroupIds", {}],
        ["DescribeScalingInstances", "InstanceIds", { ScalingGroupId: GROUP }],
        ["DescribeScalingActivities", "ScalingActivityIds", {}],
    ])(
        "%s takes up to 20 %s.N, as its page gives; 21 are refused naming the list",
        (action, list, extra) => {
            const w = world([]);
            const ctx = { engine: w.engine, now: w.clock.now() };
            const ids = (n: number): Record<string, string> =>
                Object.fromEntries(
                    Array.from({ length: n }, (_, i) => [`${list}.${i + 1}`, `id-${i}`]),
                );
            const describe = ACTIONS[action]!;
            expect(() => describe({ RegionId: REGION, ...extra, ...ids(20) }, ctx)).not.toThrow();
            const err = errorOf(() => describe({ RegionId: REGION, ...extra, ...ids(21) }, ctx));
            expect(err).toMatchObject({ code: "InvalidParameter", httpStatus: 400 });
            expect(err.message).toContain(`"${list}.N"`);
            expect(err.message).toContain("up to 20 items");
        },
    );
});
