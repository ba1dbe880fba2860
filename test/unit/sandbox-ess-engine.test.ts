import { ManualClock } from "../../src/sandbox/clock";
import {
    batchSizeFor,
    DEFAULT_FAIL_DETAIL,
    EssApiError,
    type EssScenario,
    RefreshEngine,
    ROLLBACK_FAIL_DETAIL,
    type SimRefresh,
    type StartRefreshInput,
} from "../../src/sandbox/ess";
import { parseStartInstanceRefresh } from "../../src/sandbox/ess/startParams";

const T0 = Date.UTC(2025, 4, 16, 6, 27, 0);
const GROUP = "asg-web";
const REGION = "cn-hangzhou";

/** A 6-instance group on a ManualClock, with helpers to start and observe refreshes. */
function world(scenario?: EssScenario, capacity = 6) {
    const clock = new ManualClock(T0);
    let n = 0;
    const engine = new RefreshEngine({
        defaultScenario: scenario,
        newTaskId: () => `ir-test${++n}`,
    });
    engine.addGroup({ scalingGroupId: GROUP, capacity }, clock.now());
    const start = (over: Partial<StartRefreshInput> = {}): SimRefresh =>
        engine.start(
            startInput(GROUP, { desired: { ScalingConfigurationId: "asc-new" }, ...over }),
            clock.now(),
        ).refresh;
    const get = (id: string): SimRefresh => {
        engine.advance(clock.now());
        const found = engine.list().find((r) => r.InstanceRefreshTaskId === id);
        if (!found) {
            throw new Error(`no task ${id}`);
        }
        return found;
    };
    /** Advances to T0 + seconds and returns the task. */
    const at = (seconds: number, id: string): SimRefresh => {
        clock.set(T0 + seconds * 1000);
        return get(id);
    };
    return { clock, engine, start, get, at };
}

/** A StartInstanceRefresh input for `scalingGroupId` with the page's defaults. */
function startInput(
    scalingGroupId: string,
    over: Partial<StartRefreshInput> = {},
): StartRefreshInput {
    return {
        scalingGroupId,
        regionId: REGION,
        minHealthyPercentage: 80,
        maxHealthyPercentage: 120,
        skipMatching: true,
        checkpointPauseTime: 60,
        checkpoints: [],
        desired: { ImageId: "m-2" },
        ...over,
    };
}

function iso(seconds: number): string {
    return new Date(T0 + seconds * 1000).toISOString().replace(".000Z", "Z");
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

describe("ManualClock", () => {
    it("moves only when told", () => {
        const clock = new ManualClock(1000);
        expect(clock.now()).toBe(1000);
        clock.advance(500);
        expect(clock.now()).toBe(1500);
        clock.set(10);
        expect(clock.now()).toBe(10);
        expect(() => clock.advance(-1)).toThrow(RangeError);
    });
});

describe("batch size", () => {
    it("is floor(cap*(100-min)/100) + floor(cap*(max-100)/100), at least 1", () => {
        expect(batchSizeFor(6, 80, 120)).toBe(2);
        expect(batchSizeFor(6, 100, 100)).toBe(1);
        expect(batchSizeFor(10, 50, 150)).toBe(10);
        expect(batchSizeFor(3, 90, 110)).toBe(1);
    });
});

describe("refresh engine", () => {
    it("takes 6 instances at 80/120 through Pending, InProgress, Successful in 3 batches", () => {
        const w = world();
        const r = w.start();
        expect(r).toMatchObject({
            Status: "Pending",
            StartTime: iso(0),
            TotalNeedUpdateCapacity: 6,
            FinishedUpdateCapacity: 0,
            MinHealthyPercentage: 80,
            MaxHealthyPercentage: 120,
            SkipMatching: true,
            CheckpointPauseTime: 60,
            foreign: false,
        });
        expect(r.EndTime).toBeUndefined();
        const id = r.InstanceRefreshTaskId;
        expect(w.at(0.999, id).Status).toBe("Pending");
        expect(w.at(1, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 0 });
        const seen: string[] = [];
        for (let s = 1; s <= 40; s++) {
            const t = w.at(s, id);
            const label = `${t.Status}:${t.FinishedUpdateCapacity}`;
            if (seen[seen.length - 1] !== label) {
                seen.push(label);
            }
        }
        expect(seen).toEqual(["InProgress:0", "InProgress:2", "InProgress:4", "Successful:6"]);
        const done = w.get(id);
        expect(done.EndTime).toBe(iso(31));
        expect(done.Detail).toBeUndefined();
        expect(w.engine.group(GROUP)?.activeScalingConfigurationId).toBe("asc-new");
    });

    it("computes an EndTime from the last batch, not from when it is looked at", () => {
        const w = world();
        const id = w.start().InstanceRefreshTaskId;
        expect(w.at(3600, id)).toMatchObject({ Status: "Successful", EndTime: iso(31) });
    });

    it("skips matching instances: an identical second refresh has nothing to do, answered as the scenario says", () => {
        // ESS documents no answer for it: by default the code Terraform's provider handles.
        const w = world();
        const first = w.start().InstanceRefreshTaskId;
        expect(w.at(31, first).Status).toBe("Successful");
        expect(() => w.start()).toThrow(
            expect.objectContaining({ code: "InvalidInstance.NoInstanceNeedBeRefreshed" }),
        );
        const third = w.start({ skipMatching: false });
        expect(third).toMatchObject({ Status: "Pending", TotalNeedUpdateCapacity: 6 });
        // Another code, or a task that is Successful at once.
        const other = world({ nothingToRefreshCode: "SandboxUnknown.NothingToDo" });
        expect(other.at(31, other.start().InstanceRefreshTaskId).Status).toBe("Successful");
        expect(() => other.start()).toThrow(
            expect.objectContaining({ code: "SandboxUnknown.NothingToDo" }),
        );
        const accept = world({ nothingToRefreshCode: "accept" });
        expect(accept.at(31, accept.start().InstanceRefreshTaskId).Status).toBe("Successful");
        expect(accept.start()).toMatchObject({
            Status: "Successful",
            TotalNeedUpdateCapacity: 0,
            FinishedUpdateCapacity: 0,
            EndTime: iso(31),
        });
    });

    it("a refresh to an image updates the active configuration's image: a second one has nothing to replace", () => {
        const w = world();
        const first = w.start({ desired: { ImageId: "m-2" } }).InstanceRefreshTaskId;
        expect(w.at(31, first).Status).toBe("Successful");
        expect(w.engine.group(GROUP)).toMatchObject({
            activeScalingConfigurationId: "asc-web",
            activeImageId: "m-2",
        });
        expect(() => w.start({ desired: { ImageId: "m-2" } })).toThrow(
            expect.objectContaining({ code: "InvalidInstance.NoInstanceNeedBeRefreshed" }),
        );
        // Without a desired configuration: the instances not on the active one (none now).
        expect(() => w.start({ desired: {} })).toThrow(
            expect.objectContaining({ code: "InvalidInstance.NoInstanceNeedBeRefreshed" }),
        );
        expect(w.start({ desired: { ImageId: "m-3" } }).TotalNeedUpdateCapacity).toBe(6);
    });

    it("ImageId with ScalingConfigurationId moves both; ScalingConfigurationId alone matches by its id", () => {
        const w = world();
        const id = w.start({
            desired: { ImageId: "m-9", ScalingConfigurationId: "asc-new" },
        }).InstanceRefreshTaskId;
        expect(w.at(31, id).Status).toBe("Successful");
        expect(w.engine.group(GROUP)).toMatchObject({
            activeScalingConfigurationId: "asc-new",
            activeImageId: "m-9",
        });
        // "The system determines whether an instance matches based on the ID of the desired
        // scaling configuration".
        expect(() => w.start({ desired: { ScalingConfigurationId: "asc-new" } })).toThrow(
            expect.objectContaining({ code: "InvalidInstance.NoInstanceNeedBeRefreshed" }),
        );
    });

    it("refuses ImageId when the group's active configuration comes from a launch template", () => {
        const engine = new RefreshEngine();
        engine.addGroup(
            {
                scalingGroupId: "asg-lt",
                capacity: 2,
                launchTemplateId: "lt-1",
                launchTemplateVersion: "3",
            },
            T0,
        );
        expect(() => engine.start(startInput("asg-lt"), T0)).toThrow(
            expect.objectContaining({
                code: "InvalidParameter",
                message: expect.stringContaining("comes from a launch template"),
            }),
        );
        const lt = { LaunchTemplateId: "lt-1", LaunchTemplateVersion: "4" };
        expect(
            engine.start(startInput("asg-lt", { desired: lt }), T0).refresh.TotalNeedUpdateCapacity,
        ).toBe(2);
    });

    it("ignores standby, protected and manually added instances", () => {
        const engine = new RefreshEngine();
        engine.addGroup(
            {
                scalingGroupId: "asg-mixed",
                capacity: 10,
                standbyInstances: 1,
                protectedInstances: 2,
                attachedInstances: 3,
            },
            T0,
        );
        const r = engine.start(startInput("asg-mixed", { skipMatching: false }), T0).refresh;
        expect(r.TotalNeedUpdateCapacity).toBe(4);
    });

    it.each([
        [{ multiAZPolicy: "BALANCE" as const }, /MultiAZPolicy is BALANCE; only .* Priority/],
        [{ multiAZPolicy: "COST_OPTIMIZED" as const }, /MultiAZPolicy is COST_OPTIMIZED/],
        [{ scalingPolicy: "recycle" as const }, /ScalingPolicy recycle\) is Stop-billing/],
        [{ scalingPolicy: "forcerecycle" as const }, /ScalingPolicy forcerecycle/],
        [{ capacityInVcpus: true }, /number of vCPUs/],
    ])("refuses a group StartInstanceRefresh does not support: %j", (group, why) => {
        for (const code of [undefined, "SandboxUnknown.Unsupported"]) {
            const engine = new RefreshEngine({ defaultScenario: { unsupportedCode: code } });
            engine.addGroup({ scalingGroupId: "asg-x", capacity: 2, ...group }, T0);
            expect(() => engine.start(startInput("asg-x"), T0)).toThrow(
                expect.objectContaining({
                    code: code ?? "OperationDenied",
                    message: expect.stringMatching(why),
                }),
            );
        }
    });

    it("pauses at checkpoints below 100 for CheckpointPauseTime minutes", () => {
        const w = world({ checkpointMinuteMs: 1000 });
        const id = w.start({
            minHealthyPercentage: 100,
            maxHealthyPercentage: 100,
            checkpoints: [50, 100],
            checkpointPauseTime: 2,
        }).InstanceRefreshTaskId;
        expect(w.at(21, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 2 });
        expect(w.at(31, id)).toMatchObject({
            Status: "CheckpointPause",
            FinishedUpdateCapacity: 3,
        });
        expect(w.at(32.9, id).Status).toBe("CheckpointPause");
        expect(w.at(33, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 3 });
        expect(w.at(43, id).FinishedUpdateCapacity).toBe(4);
        expect(w.at(63, id)).toMatchObject({ Status: "Successful", EndTime: iso(63) });
        expect(w.get(id).Checkpoints).toEqual([{ Percentage: 50 }, { Percentage: 100 }]);
    });

    it("fails at failAtPercent with a Detail and an EndTime", () => {
        const w = world({ failAtPercent: 50 });
        const id = w.start().InstanceRefreshTaskId;
        expect(w.at(11, id)).toMatchObject({ Status: "InProgress", FinishedUpdateCapacity: 2 });
        expect(w.at(21, id)).toMatchObject({
            Status: "Failed",
            FinishedUpdateCapacity: 4,
            Detail: DEFAULT_FAIL_DETAIL,
            EndTime: iso(21),
        });
        expect(w.at(100, id).Status).toBe("Failed");
    });

    it("uses the scenario's failDetail", () => {
        const w = world({ failAtPercent: 30, failDetail: "boom" });
        const id = w.start().InstanceRefreshTaskId;
        expect(w.at(11, id)).toMatchObject({ Status: "Failed", Detail: "boom" });
    });

    it("cancels: Cancelling, then Cancelled one batch later, keeping what was replaced", () => {
        const w = world();
        const id = w.start().InstanceRefreshTaskId;
        w.at(11, id);
        w.engine.cancel(GROUP, REGION, id, w.clock.now());
        expect(w.get(id)).toMatchObject({ Status: "Cancelling", FinishedUpdateCapacity: 2 });
        expect(w.at(20.9, id).Status).toBe("Cancelling");
        expect(w.at(21, id)).toMatchObject({
            Status: "Cancelled",
            FinishedUpdateCapacity: 2,
            EndTime: iso(21),
        });
        const again = () => w.engine.cancel(GROUP, REGION, id, w.clock.now());
        expect(codeOf(again)).toBe("IncorrectInstanceRefreshTaskStatus");
        // The two replaced instances match now: a new refresh to the same config has 4 to do.
        expect(w.start().TotalNeedUpdateCapacity).toBe(4);
    });

    it("suspends and resumes", () => {
        const w = world();
        const id = w.start().InstanceRefreshTaskId;
        w.at(11, id);
        w.engine.suspend(GROUP, REGION, id, w.clock.now());
        expect(w.at(500, id)).toMatchObject({ Status: "Paused", FinishedUpdateCapacity: 2 });
        expect(codeOf(() => w.engine.suspend(GROUP, REGION, id, w.clock.now()))).toBe(
            "IncorrectInstanceRefreshTaskStatus",
        );
        w.engine.resume(GROUP, REGION, id, w.clock.now());
        expect(w.get(id).Status).toBe("InProgress");
        expect(w.at(510, id).FinishedUpdateCapacity).toBe(4);
        expect(codeOf(() => w.engine.resume(GROUP, REGION, id, w.clock.now()))).toBe(
            "IncorrectInstanceRefreshTaskStatus",
        );
        expect(w.at(520, id).Status).toBe("Successful");
    });

    it("suspends a Pending refresh and a checkpoint pause", () => {
        const w = world({ checkpointMinuteMs: 1000 });
        const id = w.start({ checkpoints: [30, 100] }).InstanceRefreshTaskId;
        w.engine.suspend(GROUP, REGION, id, w.clock.now());
        expect(w.at(100, id)).toMatchObject({ Status: "Paused", FinishedUpdateCapacity: 0 });
        w.engine.resume(GROUP, REGION, id, w.clock.now());
        expect(w.at(110, id).Status).toBe("CheckpointPause");
        w.engine.suspend(GROUP, REGION, id, w.clock.now());
        expect(w.get(id).Status).toBe("Paused");
    });

    it("rolls back a failed refresh, batch by batch, restoring the old instances", () => {
        const w = world({ failAtPercent: 50 });
        const id = w.start().InstanceRefreshTaskId;
        expect(w.at(21, id).Status).toBe("Failed");
        w.engine.rollback(GROUP, REGION, id, w.clock.now());
        const rolling = w.get(id);
        expect(rolling).toMatchObject({ Status: "RollbackInProgress", FinishedUpdateCapacity: 4 });
        expect(rolling.EndTime).toBeUndefined();
        expect(rolling.Detail).toBeUndefined();
        expect(w.at(31, id)).toMatchObject({
            Status: "RollbackInProgress",
            FinishedUpdateCapacity: 2,
        });
        expect(w.at(41, id)).toMatchObject({
            Status: "RollbackSuccessful",
            FinishedUpdateCapacity: 0,
            EndTime: iso(41),
        });
        // Every instance is back on the old configuration: a new refresh has all 6 to do.
        expect(w.start().TotalNeedUpdateCapacity).toBe(6);
    });

    it("rolls back an InProgress refresh and can end RollbackFailed", () => {
        const w = world({ rollbackFails: true });
        const id = w.start().InstanceRefreshTaskId;
        w.at(11, id);
        w.engine.rollback(GROUP, REGION, id, w.clock.now());
        expect(w.at(21, id)).toMatchObject({
            Status: "RollbackFailed",
            Detail: ROLLBACK_FAIL_DETAIL,
            EndTime: iso(21),
        });
    });

    it("refuses rollbacks it cannot do", () => {
        const w = world();
        const lt = w.start({
            desired: { LaunchTemplateId: "lt-1", LaunchTemplateVersion: "Latest" },
        }).InstanceRefreshTaskId;
        w.at(11, lt);
        expect(codeOf(() => w.engine.rollback(GROUP, REGION, lt, w.clock.now()))).toBe(
            "OperationDenied",
        );
        expect(w.at(100, lt).Status).toBe("Successful");
        expect(codeOf(() => w.engine.rollback(GROUP, REGION, lt, w.clock.now()))).toBe(
            "IncorrectInstanceRefreshTaskStatus",
        );
    });

    it("allows one running refresh per group; ClientToken idempotency comes first", () => {
        const w = world();
        const input = { clientToken: "tok-1", fingerprint: "fp-a" };
        const first = w.start(input);
        expect(w.start(input).InstanceRefreshTaskId).toBe(first.InstanceRefreshTaskId);
        expect(codeOf(() => w.start())).toBe("InstanceRefreshInProgress");
        expect(codeOf(() => w.start({ clientToken: "tok-1", fingerprint: "fp-b" }))).toBe(
            "IdempotentParameterMismatch",
        );
        w.at(31, first.InstanceRefreshTaskId);
        const replay = w.start(input);
        expect(replay).toMatchObject({
            InstanceRefreshTaskId: first.InstanceRefreshTaskId,
            Status: "Successful",
            clientToken: "tok-1",
        });
        expect(w.start({ desired: { ImageId: "m-2" } }).Status).toBe("Pending");
    });

    it("answers a start on a busy group with the scenario's busyCode (ESS documents none)", () => {
        for (const busyCode of ["OperationDenied", "SandboxUnknown.GroupBusy"]) {
            const w = world({ foreignRefresh: true, busyCode });
            expect(codeOf(() => w.start())).toBe(busyCode);
        }
    });

    it("runs a foreign refresh that blocks ours until it ends", () => {
        const w = world({ foreignRefresh: true });
        const [foreign] = w.engine.list(GROUP);
        expect(foreign).toMatchObject({ foreign: true, Status: "Pending", SkipMatching: false });
        expect(foreign?.clientToken).toBeUndefined();
        expect(codeOf(() => w.start())).toBe("InstanceRefreshInProgress");
        expect(w.at(31, foreign?.InstanceRefreshTaskId ?? "").Status).toBe("Successful");
        expect(w.start().Status).toBe("Pending");
    });

    it("starts a foreign refresh when a scenario asks for one later", () => {
        const w = world();
        w.engine.setScenario(GROUP, { foreignRefresh: true, batchSeconds: 1 }, w.clock.now());
        const list = w.engine.list(GROUP);
        expect(list).toHaveLength(1);
        expect(list[0]?.foreign).toBe(true);
    });

    it("answers not-found errors for unknown tasks and wrong regions", () => {
        const w = world();
        const id = w.start().InstanceRefreshTaskId;
        expect(codeOf(() => w.engine.cancel(GROUP, REGION, "ir-nope", w.clock.now()))).toBe(
            "InvalidInstanceRefreshTaskId.NotFound",
        );
        expect(codeOf(() => w.engine.cancel(GROUP, "cn-beijing", id, w.clock.now()))).toBe(
            "InvalidScalingGroupId.NotFound",
        );
        expect(codeOf(() => w.start({ regionId: "cn-beijing" }))).toBe(
            "InvalidScalingGroupId.NotFound",
        );
    });

    it("lists newest first", () => {
        const w = world();
        const a = w.start().InstanceRefreshTaskId;
        w.at(31, a);
        const b = w.start({ desired: { ImageId: "m-9" } }).InstanceRefreshTaskId;
        expect(w.engine.list(GROUP).map((r) => r.InstanceRefreshTaskId)).toEqual([b, a]);
    });
});

describe("StartInstanceRefresh validation", () => {
    const base = {
        RegionId: REGION,
        ScalingGroupId: GROUP,
        "DesiredConfiguration.ImageId": "m-1",
    };
    const bad = (extra: Record<string, string | undefined>): { code: string; message: string } => {
        const p: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...base, ...extra })) {
            if (v !== undefined) {
                p[k] = v;
            }
        }
        try {
            parseStartInstanceRefresh(p);
        } catch (e) {
            if (e instanceof EssApiError) {
                return { code: e.code, message: e.message };
            }
            throw e;
        }
        throw new Error("expected a validation error");
    };

    it("applies the documented defaults", () => {
        expect(parseStartInstanceRefresh(base)).toMatchObject({
            minHealthyPercentage: 80,
            maxHealthyPercentage: 120,
            skipMatching: true,
            checkpointPauseTime: 60,
            checkpoints: [],
            desired: { ImageId: "m-1" },
        });
    });

    it("checks the documented ranges, naming the parameter", () => {
        expect(bad({ MinHealthyPercentage: "101" }).message).toMatch(
            /"MinHealthyPercentage".*0 to 100/,
        );
        expect(bad({ MinHealthyPercentage: "-1" }).code).toBe("InvalidParameter");
        expect(bad({ MaxHealthyPercentage: "99" }).message).toMatch(
            /"MaxHealthyPercentage".*100 to 200/,
        );
        expect(bad({ MaxHealthyPercentage: "201" }).code).toBe("InvalidParameter");
        expect(bad({ CheckpointPauseTime: "0" }).message).toMatch(/CheckpointPauseTime.*1 to 2880/);
        expect(bad({ CheckpointPauseTime: "2881" }).code).toBe("InvalidParameter");
        expect(bad({ SkipMatching: "yes" }).message).toMatch(/SkipMatching/);
        expect(bad({ ClientToken: "x".repeat(65) }).message).toMatch(/ClientToken/);
    });

    it("checks checkpoints: 1-100, ascending, last = 100", () => {
        const zero = bad({ "Checkpoints.1.Percentage": "0" });
        expect(zero.message).toMatch(/Checkpoints\.1\.Percentage.*1 to 100/);
        const descending = bad({
            "Checkpoints.1.Percentage": "60",
            "Checkpoints.2.Percentage": "50",
        });
        expect(descending.message).toMatch(/Checkpoints\.2\.Percentage.*ascending/);
        expect(bad({ "Checkpoints.1.Percentage": "50" }).message).toMatch(/must be 100/);
        expect(
            parseStartInstanceRefresh({
                ...base,
                "Checkpoints.1.Percentage": "20",
                "Checkpoints.2.Percentage": "100",
            }).checkpoints,
        ).toEqual([20, 100]);
    });

    it("takes the desired configuration sources the page allows, or none", () => {
        const { "DesiredConfiguration.ImageId": _image, ...none } = base;
        expect(parseStartInstanceRefresh(none).desired).toEqual({});
        expect(
            parseStartInstanceRefresh({
                ...base,
                "DesiredConfiguration.ScalingConfigurationId": "asc-1",
            }).desired,
        ).toEqual({ ImageId: "m-1", ScalingConfigurationId: "asc-1" });
        expect(bad({ "DesiredConfiguration.LaunchTemplateId": "lt-1" }).message).toMatch(
            /not several of them/,
        );
        const version = bad({ "DesiredConfiguration.LaunchTemplateVersion": "3" });
        expect(version.message).toMatch(/LaunchTemplateVersion/);
        expect(bad({ "DesiredConfiguration.Bogus": "1" }).message).toMatch(/Bogus/);
    });

    it("reads launch templates and containers", () => {
        const lt = parseStartInstanceRefresh({
            RegionId: REGION,
            ScalingGroupId: GROUP,
            "DesiredConfiguration.LaunchTemplateId": "lt-1",
            "DesiredConfiguration.LaunchTemplateVersion": "8",
            "DesiredConfiguration.LaunchTemplateOverrides.1.InstanceType": "ecs.g7.2xlarge",
        });
        expect(lt.desired).toEqual({
            LaunchTemplateId: "lt-1",
            LaunchTemplateVersion: "8",
            LaunchTemplateOverrides: [{ InstanceType: "ecs.g7.2xlarge" }],
        });
        const eci = parseStartInstanceRefresh({
            RegionId: REGION,
            ScalingGroupId: GROUP,
            "DesiredConfiguration.Containers.1.Name": "nginx",
            "DesiredConfiguration.Containers.1.Image": "nginx:latest",
            "DesiredConfiguration.Containers.1.Commands.1": "sleep",
            "DesiredConfiguration.Containers.1.Args.1": "100",
            "DesiredConfiguration.Containers.1.EnvironmentVars.1.Key": "PATH",
            "DesiredConfiguration.Containers.1.EnvironmentVars.1.Value": "/usr/local/bin",
        });
        expect(eci.desired.Containers).toEqual([
            {
                Name: "nginx",
                Image: "nginx:latest",
                Commands: ["sleep"],
                Args: ["100"],
                EnvironmentVars: [{ Key: "PATH", Value: "/usr/local/bin" }],
            },
        ]);
    });

    it("reports missing required parameters", () => {
        expect(bad({ ScalingGroupId: undefined })).toEqual({
            code: "MissingParameter",
            message:
                'The input parameter "ScalingGroupId" that is mandatory for processing this request is not supplied.',
        });
        expect(bad({ RegionId: undefined })).toMatchObject({
            code: "MissingParameter",
            message: expect.stringContaining('"RegionId"'),
        });
    });
});
