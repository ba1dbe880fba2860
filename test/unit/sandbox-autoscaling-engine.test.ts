import { ManualClock } from "../../src/sandbox/clock";
import {
    AsgRefreshEngine,
    type AsgScenario,
    AwsApiError,
    batchSizeFor,
    DEFAULT_FAIL_REASON,
    MANUAL_ROLLBACK_REASON,
    parseStartInstanceRefresh,
    ROLLBACK_FAIL_REASON,
    type SimAsgRefresh,
} from "../../src/sandbox/autoscaling";

const T0 = Date.UTC(2025, 4, 16, 6, 27, 0);
const GROUP = "web";
const LT = "lt-0web00000000000001";

interface WorldOptions {
    scenario?: AsgScenario;
    capacity?: number;
    /** The group's launch template version (default "1"). */
    version?: string;
}

/** A group on version 1 of a 3-version template, on a ManualClock, with helpers. */
function world(opts: WorldOptions = {}) {
    const clock = new ManualClock(T0);
    let refreshes = 0;
    let instances = 0;
    const engine = new AsgRefreshEngine({
        defaultScenario: opts.scenario,
        newRefreshId: () => `ir-${++refreshes}`,
        newInstanceId: () => `i-${String(++instances).padStart(17, "0")}`,
    });
    engine.addLaunchTemplate(
        {
            launchTemplateId: LT,
            launchTemplateName: "web-template",
            versions: 3,
            defaultVersion: 1,
        },
        T0,
    );
    engine.addGroup(
        {
            autoScalingGroupName: GROUP,
            capacity: opts.capacity ?? 6,
            launchTemplate: { launchTemplateId: LT, version: opts.version ?? "1" },
        },
        T0,
    );
    /** Starts a refresh from flattened StartInstanceRefresh params (desired: version 2). */
    const start = (params: Record<string, string> = {}, desiredVersion = "2"): SimAsgRefresh =>
        engine.start(
            parseStartInstanceRefresh({
                AutoScalingGroupName: GROUP,
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
                "DesiredConfiguration.LaunchTemplate.Version": desiredVersion,
                ...params,
            }),
            clock.now(),
        );
    /** Advances to T0 + seconds and returns the group's newest refresh. */
    const at = (seconds: number): SimAsgRefresh => {
        clock.set(T0 + seconds * 1000);
        engine.advance(clock.now());
        const [latest] = engine.list(GROUP);
        if (!latest) {
            throw new Error("no refresh");
        }
        return latest;
    };
    /** The launch template version of each instance. */
    const versions = (): (string | undefined)[] =>
        engine.group(GROUP)?.instances.map((i) => i.launchTemplate?.version) ?? [];
    const groupVersion = (): string | undefined => engine.group(GROUP)?.launchTemplate?.version;
    return { clock, engine, start, at, versions, groupVersion };
}

function iso(seconds: number): string {
    return new Date(T0 + seconds * 1000).toISOString().replace(".000Z", "Z");
}

function errorOf(fn: () => unknown): AwsApiError {
    try {
        fn();
    } catch (e) {
        if (e instanceof AwsApiError) {
            return e;
        }
        throw e;
    }
    throw new Error("expected an AwsApiError");
}

describe("batchSizeFor", () => {
    it("follows floor(cap*(100-min)/100) [+ floor(cap*(max-100)/100)], at least 1", () => {
        expect(batchSizeFor(10, 90)).toBe(1);
        expect(batchSizeFor(10, 90, 110)).toBe(2);
        expect(batchSizeFor(10, 80, 120)).toBe(4);
        expect(batchSizeFor(6, 50)).toBe(3);
        expect(batchSizeFor(4, 100)).toBe(1);
        expect(batchSizeFor(4, 100, 100)).toBe(1);
        expect(batchSizeFor(4, 0)).toBe(4);
        expect(batchSizeFor(3, 90)).toBe(1);
    });
});

describe("AsgRefreshEngine: batches", () => {
    it("goes Pending -> InProgress, replaces in batches, then Successful", () => {
        const w = world();
        const started = w.start({ "Preferences.MinHealthyPercentage": "50" });
        expect(started).toMatchObject({
            InstanceRefreshId: "ir-1",
            AutoScalingGroupName: GROUP,
            Status: "Pending",
            StartTime: iso(0),
            PercentageComplete: 0,
            InstancesToUpdate: 6,
            Strategy: "Rolling",
            foreign: false,
        });
        expect(w.at(0.9).Status).toBe("Pending");
        expect(w.at(1)).toMatchObject({ Status: "InProgress", PercentageComplete: 0 });
        expect(w.at(10.9).PercentageComplete).toBe(0);
        const half = w.at(11);
        expect(half).toMatchObject({
            Status: "InProgress",
            PercentageComplete: 50,
            InstancesToUpdate: 3,
            ProgressDetails: { LivePoolProgress: { PercentageComplete: 50, InstancesToUpdate: 3 } },
        });
        expect(w.versions()).toEqual(["2", "2", "2", "1", "1", "1"]);
        expect(w.groupVersion()).toBe("1");
        const done = w.at(21);
        expect(done).toMatchObject({
            Status: "Successful",
            PercentageComplete: 100,
            InstancesToUpdate: 0,
            EndTime: iso(21),
        });
        expect(done.StatusReason).toBeUndefined();
        expect(w.versions()).toEqual(["2", "2", "2", "2", "2", "2"]);
        expect(w.groupVersion()).toBe("2");
        expect(w.at(500).EndTime).toBe(iso(21));
    });

    it("uses MaxHealthyPercentage to replace more at a time", () => {
        const w = world({ capacity: 10 });
        w.start({
            "Preferences.MinHealthyPercentage": "90",
            "Preferences.MaxHealthyPercentage": "110",
        });
        expect(w.at(11)).toMatchObject({ PercentageComplete: 20, InstancesToUpdate: 8 });
        expect(w.at(51).Status).toBe("Successful");
    });

    it("holds each batch for InstanceWarmup, reporting instances warming up", () => {
        const w = world({ capacity: 4, scenario: { batchSeconds: 10 } });
        w.start({ "Preferences.MinHealthyPercentage": "50", "Preferences.InstanceWarmup": "5" });
        const warming = w.at(11);
        expect(warming.Status).toBe("InProgress");
        expect(warming.PercentageComplete).toBe(0);
        expect(warming.StatusReason).toMatch(
            /^Waiting for instances to warm up before continuing\. For example: i-\d+ is warming up\.$/,
        );
        expect(w.versions()).toEqual(["2", "2", "1", "1"]);
        const warmed = w.at(16);
        expect(warmed.PercentageComplete).toBe(50);
        expect(warmed.StatusReason).toBeUndefined();
        expect(w.at(26).PercentageComplete).toBe(50);
        expect(w.at(31)).toMatchObject({ Status: "Successful", EndTime: iso(31) });
    });

    it("defaults InstanceWarmup to the group's HealthCheckGracePeriod", () => {
        const clock = new ManualClock(T0);
        const engine = new AsgRefreshEngine();
        engine.addGroup(
            {
                autoScalingGroupName: "g",
                capacity: 1,
                healthCheckGracePeriod: 30,
                launchTemplate: { launchTemplateName: "tpl", version: "1" },
            },
            T0,
        );
        engine.addLaunchTemplateVersion("tpl", T0);
        engine.start(
            parseStartInstanceRefresh({
                AutoScalingGroupName: "g",
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateName": "tpl",
                "DesiredConfiguration.LaunchTemplate.Version": "2",
            }),
            clock.now(),
        );
        engine.advance(T0 + 40_000);
        expect(engine.list("g")[0]?.Status).toBe("InProgress");
        engine.advance(T0 + 41_000);
        expect(engine.list("g")[0]?.Status).toBe("Successful");
    });
});

describe("AsgRefreshEngine: checkpoints and bake time", () => {
    it("limits batches to reach a checkpoint, then waits CheckpointDelay (still InProgress)", () => {
        const w = world({ capacity: 4 });
        const started = w.start({
            "Preferences.MinHealthyPercentage": "50",
            "Preferences.CheckpointPercentages.member.1": "25",
            "Preferences.CheckpointPercentages.member.2": "100",
            "Preferences.CheckpointDelay": "60",
        });
        expect(started.Preferences).toMatchObject({
            CheckpointPercentages: [25, 100],
            CheckpointDelay: 60,
        });
        const paused = w.at(11);
        expect(paused).toMatchObject({ Status: "InProgress", PercentageComplete: 25 });
        expect(paused.StatusReason).toMatch(/Checkpoint 25% reached\. Waiting 60 seconds/);
        expect(w.versions().filter((v) => v === "2")).toHaveLength(1);
        expect(w.at(70.9)).toMatchObject({ Status: "InProgress", PercentageComplete: 25 });
        const resumed = w.at(71);
        expect(resumed.StatusReason).toBeUndefined();
        expect(w.at(81)).toMatchObject({ PercentageComplete: 75 });
        expect(w.at(91)).toMatchObject({ Status: "Successful", EndTime: iso(91) });
    });

    it("defaults CheckpointDelay to 3600 seconds", () => {
        const w = world({ capacity: 2 });
        const r = w.start({
            "Preferences.MinHealthyPercentage": "50",
            "Preferences.CheckpointPercentages.member.1": "50",
            "Preferences.CheckpointPercentages.member.2": "100",
        });
        expect(r.Preferences.CheckpointDelay).toBe(3600);
        expect(w.at(3610).PercentageComplete).toBe(50);
        expect(w.at(3611 + 10).Status).toBe("Successful");
    });

    it("ends Successful at a last checkpoint below 100, leaving the rest", () => {
        const w = world({ capacity: 4 });
        w.start({
            "Preferences.MinHealthyPercentage": "50",
            "Preferences.CheckpointPercentages.member.1": "50",
        });
        expect(w.at(11)).toMatchObject({ Status: "Successful", PercentageComplete: 50 });
        expect(w.versions()).toEqual(["2", "2", "1", "1"]);
        expect(w.groupVersion()).toBe("2");
    });

    it("bakes for BakeTime before Successful, and only then updates the group", () => {
        const w = world({ capacity: 2 });
        w.start({ "Preferences.MinHealthyPercentage": "0", "Preferences.BakeTime": "30" });
        expect(w.at(11)).toMatchObject({ Status: "Baking", PercentageComplete: 100 });
        expect(w.groupVersion()).toBe("1");
        expect(w.at(40.9).Status).toBe("Baking");
        expect(w.at(41)).toMatchObject({ Status: "Successful", EndTime: iso(41) });
        expect(w.groupVersion()).toBe("2");
    });
});

describe("AsgRefreshEngine: failures and rollbacks", () => {
    it("fails at failAtPercent with a StatusReason, keeping the group's template", () => {
        const w = world({ capacity: 4, scenario: { failAtPercent: 50 } });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        const failed = w.at(11);
        expect(failed).toMatchObject({
            Status: "Failed",
            StatusReason: DEFAULT_FAIL_REASON,
            PercentageComplete: 50,
            EndTime: iso(11),
        });
        expect(failed.RollbackDetails).toBeUndefined();
        expect(w.versions()).toEqual(["2", "2", "1", "1"]);
        expect(w.groupVersion()).toBe("1");
    });

    it("with AutoRollback, rolls back to the previous version instead", () => {
        const w = world({ capacity: 4, scenario: { failAtPercent: 50, failReason: "boom" } });
        w.start({ "Preferences.MinHealthyPercentage": "50", "Preferences.AutoRollback": "true" });
        const rolling = w.at(11);
        expect(rolling).toMatchObject({
            Status: "RollbackInProgress",
            StatusReason: "boom",
            PercentageComplete: 50,
            InstancesToUpdate: 2,
            RollbackDetails: {
                RollbackReason: "boom",
                RollbackStartTime: iso(11),
                PercentageCompleteOnRollback: 0,
                InstancesToUpdateOnRollback: 2,
                ProgressDetailsOnRollback: {
                    LivePoolProgress: { PercentageComplete: 0, InstancesToUpdate: 2 },
                },
            },
        });
        expect(rolling.EndTime).toBeUndefined();
        const before = w.engine.group(GROUP)?.instances.map((i) => i.instanceId);
        const done = w.at(21);
        expect(done).toMatchObject({
            Status: "RollbackSuccessful",
            EndTime: iso(21),
            RollbackDetails: { PercentageCompleteOnRollback: 100, InstancesToUpdateOnRollback: 0 },
        });
        expect(w.versions()).toEqual(["1", "1", "1", "1"]);
        expect(w.groupVersion()).toBe("1");
        const after = w.engine.group(GROUP)?.instances.map((i) => i.instanceId);
        expect(after?.slice(2)).toEqual(before?.slice(2));
        expect(after?.slice(0, 2)).not.toEqual(before?.slice(0, 2));
    });

    it("rolls back on request (RollbackInstanceRefresh), newest replacements first", () => {
        const w = world({ capacity: 6 });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        w.at(11);
        expect(w.versions()).toEqual(["2", "2", "2", "1", "1", "1"]);
        expect(w.engine.rollback(GROUP, w.clock.now())).toBe("ir-1");
        expect(w.at(11)).toMatchObject({
            Status: "RollbackInProgress",
            RollbackDetails: {
                RollbackReason: MANUAL_ROLLBACK_REASON,
                InstancesToUpdateOnRollback: 3,
            },
        });
        expect(w.at(21)).toMatchObject({ Status: "RollbackSuccessful", EndTime: iso(21) });
        expect(w.versions()).toEqual(["1", "1", "1", "1", "1", "1"]);
        expect(w.at(21).StatusReason).toBeUndefined();
    });

    it("ends RollbackFailed when the scenario says so", () => {
        const w = world({ capacity: 4, scenario: { rollbackFails: true } });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        w.at(11);
        w.engine.rollback(GROUP, w.clock.now());
        expect(w.at(21)).toMatchObject({
            Status: "RollbackFailed",
            StatusReason: ROLLBACK_FAIL_REASON,
            EndTime: iso(21),
        });
    });

    it("rolls back a Baking refresh, and a Pending one with nothing to restore", () => {
        const w = world({ capacity: 2 });
        w.start({ "Preferences.MinHealthyPercentage": "0", "Preferences.BakeTime": "600" });
        expect(w.at(11).Status).toBe("Baking");
        w.engine.rollback(GROUP, w.clock.now());
        expect(w.at(21).Status).toBe("RollbackSuccessful");
        expect(w.versions()).toEqual(["1", "1"]);
        w.start();
        w.engine.rollback(GROUP, w.clock.now());
        expect(w.at(31)).toMatchObject({
            Status: "RollbackSuccessful",
            RollbackDetails: { InstancesToUpdateOnRollback: 0, PercentageCompleteOnRollback: 100 },
        });
    });

    it("refuses rollbacks AWS cannot do", () => {
        const w = world({ capacity: 2 });
        expect(errorOf(() => w.engine.rollback(GROUP, w.clock.now()))).toMatchObject({
            code: "ActiveInstanceRefreshNotFound",
            httpStatus: 400,
        });
        w.start({}, "$Latest");
        expect(errorOf(() => w.engine.rollback(GROUP, w.clock.now()))).toMatchObject({
            code: "IrreversibleInstanceRefresh",
            httpStatus: 400,
            message: expect.stringMatching(/\$Latest/),
        });
        w.engine.cancel(GROUP, w.clock.now());
        w.at(100);
        // no desired configuration: nothing to roll back to
        w.engine.start(parseStartInstanceRefresh({ AutoScalingGroupName: GROUP }), w.clock.now());
        expect(errorOf(() => w.engine.rollback(GROUP, w.clock.now())).code).toBe(
            "IrreversibleInstanceRefresh",
        );
        // a group on $Default has no version to go back to
        const d = world({ version: "$Default" });
        d.start();
        expect(errorOf(() => d.engine.rollback(GROUP, d.clock.now())).message).toMatch(/\$Default/);
        // nor has a group without a launch template
        const lc = new AsgRefreshEngine();
        lc.addLaunchTemplate({ launchTemplateId: LT, launchTemplateName: "t", versions: 2 }, T0);
        lc.addGroup({ autoScalingGroupName: "old", capacity: 2 }, T0);
        lc.start(
            parseStartInstanceRefresh({
                AutoScalingGroupName: "old",
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
                "DesiredConfiguration.LaunchTemplate.Version": "2",
            }),
            T0,
        );
        expect(errorOf(() => lc.rollback("old", T0)).code).toBe("IrreversibleInstanceRefresh");
    });

    it("refuses AutoRollback when a rollback would be impossible", () => {
        const w = world();
        const err = errorOf(() => w.start({ "Preferences.AutoRollback": "true" }, "$Latest"));
        expect(err).toMatchObject({ code: "ValidationError", httpStatus: 400 });
        expect(err.message).toMatch(/AutoRollback/);
    });
});

describe("AsgRefreshEngine: cancel", () => {
    it("goes Cancelling, then Cancelled one batch later, keeping what was replaced", () => {
        const w = world({ capacity: 4 });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        w.at(11);
        expect(w.engine.cancel(GROUP, w.clock.now())).toBe("ir-1");
        expect(w.at(11)).toMatchObject({ Status: "Cancelling", PercentageComplete: 50 });
        expect(w.at(20.9).Status).toBe("Cancelling");
        expect(w.at(21)).toMatchObject({
            Status: "Cancelled",
            EndTime: iso(21),
            PercentageComplete: 50,
        });
        expect(w.versions()).toEqual(["2", "2", "1", "1"]);
        expect(w.groupVersion()).toBe("1");
        expect(errorOf(() => w.engine.cancel(GROUP, w.clock.now()))).toMatchObject({
            code: "ActiveInstanceRefreshNotFound",
            message: `No in progress or pending Instance Refresh found for Auto Scaling group ${GROUP}`,
        });
    });

    it("cancels a rollback in progress", () => {
        const w = world({ capacity: 4 });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        w.at(11);
        w.engine.rollback(GROUP, w.clock.now());
        w.engine.cancel(GROUP, w.clock.now());
        expect(w.at(21).Status).toBe("Cancelled");
    });
});

describe("AsgRefreshEngine: desired configuration", () => {
    it("resolves $Latest and $Default when the refresh starts", () => {
        const w = world({ capacity: 2 });
        w.start({ "Preferences.MinHealthyPercentage": "0" }, "$Latest");
        w.at(11);
        expect(w.versions()).toEqual(["3", "3"]);
        expect(w.groupVersion()).toBe("$Latest");
        expect(w.engine.addLaunchTemplateVersion("web-template", w.clock.now())).toBe(4);
        expect(w.engine.resolveVersion({ id: LT }, "$Latest")).toBe(4);
        w.engine.setDefaultLaunchTemplateVersion(LT, 2, w.clock.now());
        w.start({ "Preferences.MinHealthyPercentage": "0" }, "$Default");
        w.at(30);
        expect(w.versions()).toEqual(["2", "2"]);
        expect(w.groupVersion()).toBe("$Default");
    });

    it("skips instances already on the desired version with SkipMatching", () => {
        const w = world({ capacity: 4 });
        w.start({ "Preferences.MinHealthyPercentage": "50" });
        w.at(11);
        w.engine.cancel(GROUP, w.clock.now());
        w.at(30);
        const skip = w.start({ "Preferences.SkipMatching": "true" });
        expect(skip).toMatchObject({ InstancesToUpdate: 2 });
        expect(skip.Preferences.SkipMatching).toBe(true);
        w.engine.cancel(GROUP, w.clock.now());
        w.at(60);
        expect(w.start({ "Preferences.SkipMatching": "false" }).InstancesToUpdate).toBe(4);
        w.engine.cancel(GROUP, w.clock.now());
        w.at(90);
        // everything already matches: Successful as soon as it starts
        const same = world({ capacity: 3, version: "2" });
        same.start({ "Preferences.SkipMatching": "true" });
        expect(same.at(1)).toMatchObject({
            Status: "Successful",
            PercentageComplete: 100,
            InstancesToUpdate: 0,
        });
    });

    it("takes the launch template of a MixedInstancesPolicy and echoes it", () => {
        const w = world({ capacity: 2 });
        const mip = "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate";
        const r = w.engine.start(
            parseStartInstanceRefresh({
                AutoScalingGroupName: GROUP,
                [`${mip}.LaunchTemplateSpecification.LaunchTemplateName`]: "web-template",
                [`${mip}.LaunchTemplateSpecification.Version`]: "3",
                [`${mip}.Overrides.member.1.InstanceType`]: "t3.large",
                [`${mip}.Overrides.member.2.InstanceType`]: "m5.large",
                "Preferences.MinHealthyPercentage": "0",
            }),
            w.clock.now(),
        );
        expect(r.DesiredConfiguration).toEqual({
            MixedInstancesPolicy: {
                LaunchTemplate: {
                    LaunchTemplateSpecification: {
                        LaunchTemplateName: "web-template",
                        Version: "3",
                    },
                    Overrides: [{ InstanceType: "t3.large" }, { InstanceType: "m5.large" }],
                },
            },
        });
        w.at(11);
        expect(w.versions()).toEqual(["3", "3"]);
    });

    it("echoes Preferences with AWS's defaults filled in", () => {
        const w = world();
        expect(w.start().Preferences).toEqual({
            MinHealthyPercentage: 90,
            SkipMatching: false,
            AutoRollback: false,
            // RefreshPreferences: "Wait (default)" for both.
            ScaleInProtectedInstances: "Wait",
            StandbyInstances: "Wait",
        });
    });
});

describe("AsgRefreshEngine: one active refresh per group", () => {
    it("refuses a second refresh until the first one ends", () => {
        const w = world({ capacity: 2 });
        w.start({ "Preferences.MinHealthyPercentage": "0" });
        expect(errorOf(() => w.start())).toMatchObject({
            code: "InstanceRefreshInProgress",
            httpStatus: 400,
        });
        expect(w.at(11).Status).toBe("Successful");
        expect(w.start({}, "3").InstanceRefreshId).toBe("ir-2");
        expect(w.engine.list(GROUP).map((r) => r.InstanceRefreshId)).toEqual(["ir-2", "ir-1"]);
    });

    it("counts a foreign refresh as the active one", () => {
        const w = world({ capacity: 2 });
        w.engine.setScenario(GROUP, { foreignRefresh: true }, w.clock.now());
        const [foreign] = w.engine.list(GROUP);
        expect(foreign).toMatchObject({ foreign: true, Status: "Pending", InstancesToUpdate: 2 });
        expect(foreign?.DesiredConfiguration).toBeUndefined();
        expect(errorOf(() => w.start()).code).toBe("InstanceRefreshInProgress");
        expect(w.at(100).Status).toBe("Successful");
        expect(w.versions()).toEqual(["1", "1"]);
    });

    it("answers a start on a busy group with the scenario's busyCode (default AWS's documented one)", () => {
        for (const busyCode of ["ResourceInUse", "SandboxUnknown.GroupBusy"]) {
            const w = world({ capacity: 2 });
            w.engine.setScenario(GROUP, { foreignRefresh: true, busyCode }, w.clock.now());
            expect(errorOf(() => w.start())).toMatchObject({ code: busyCode, httpStatus: 400 });
        }
    });

    it("reports unknown groups as ValidationError", () => {
        const w = world();
        const err = errorOf(() =>
            w.engine.start(parseStartInstanceRefresh({ AutoScalingGroupName: "nope" }), T0),
        );
        expect(err).toMatchObject({ code: "ValidationError", httpStatus: 400 });
        expect(err.message).toMatch(/nope/);
    });
});

describe("parseStartInstanceRefresh", () => {
    const base = { AutoScalingGroupName: GROUP };
    const cases: [Record<string, string>, RegExp][] = [
        [
            { "Preferences.MinHealthyPercentage": "101" },
            /^1 validation error detected: Value '101' at 'preferences\.minHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 100$/,
        ],
        [
            { "Preferences.MinHealthyPercentage": "90", "Preferences.MaxHealthyPercentage": "99" },
            /'preferences\.maxHealthyPercentage'.*greater than or equal to 100/,
        ],
        [{ "Preferences.MaxHealthyPercentage": "150" }, /must also specify MinHealthyPercentage/],
        [
            { "Preferences.MinHealthyPercentage": "50", "Preferences.MaxHealthyPercentage": "200" },
            /cannot be greater than 100/,
        ],
        [
            {
                "Preferences.CheckpointPercentages.member.1": "50",
                "Preferences.CheckpointPercentages.member.2": "20",
            },
            /ascending/,
        ],
        [{ "Preferences.CheckpointDelay": "60" }, /must also specify CheckpointPercentages/],
        [{ "Preferences.BakeTime": "172801" }, /'preferences\.bakeTime'/],
        [
            { "Preferences.ScaleInProtectedInstances": "Maybe" },
            /enum value set: \[Refresh, Ignore, Wait\]/,
        ],
        [{ Strategy: "Blue" }, /'strategy'.*\[Rolling\]/],
        [
            {
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateName": "x",
            },
            /either LaunchTemplateId or LaunchTemplateName/,
        ],
        [
            {
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
                "DesiredConfiguration.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId":
                    LT,
            },
            /not both/,
        ],
    ];
    it.each(cases)("rejects %j", (params, message) => {
        const err = errorOf(() => parseStartInstanceRefresh({ ...base, ...params }));
        expect(err).toMatchObject({ code: "ValidationError", httpStatus: 400, type: "Sender" });
        expect(err.message).toMatch(message);
    });

    it("requires AutoScalingGroupName", () => {
        expect(errorOf(() => parseStartInstanceRefresh({})).message).toMatch(
            /'autoScalingGroupName' failed to satisfy constraint: Member must not be null/,
        );
    });

    it("rejects unknown launch templates and versions when starting", () => {
        const w = world();
        expect(
            errorOf(() =>
                w.engine.start(
                    parseStartInstanceRefresh({
                        ...base,
                        "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": "lt-0nope",
                    }),
                    T0,
                ),
            ).message,
        ).toMatch(/template ID lt-0nope, does not exist/);
        expect(errorOf(() => w.start({}, "9")).message).toMatch(/version 9/);
    });

    it("reads an empty list the way the SDK sends it", () => {
        const input = parseStartInstanceRefresh({
            ...base,
            "Preferences.CheckpointPercentages": "",
            "Preferences.AlarmSpecification.Alarms": "",
        });
        expect(input.settings.checkpointPercentages).toEqual([]);
        expect(input.preferences.CheckpointPercentages).toBeUndefined();
        expect(input.preferences.AlarmSpecification).toBeUndefined();
    });
});
