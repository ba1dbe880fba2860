/**
 * Lifecycle hooks in the Auto Scaling simulator's engine, on virtual time: instances a refresh
 * launches wait in Pending:Wait on the group's launching hooks until their bootstrap completes
 * them, a CompleteLifecycleAction ends them, or the heartbeat window expires (DefaultResult).
 */
import { ManualClock } from "../../src/sandbox/clock";
import {
    AsgRefreshEngine,
    type AsgLifecycleHookSeed,
    type AsgScenario,
    AwsApiError,
    globalTimeoutFor,
    type LifecycleActionRef,
    parseStartInstanceRefresh,
    type SimAsgRefresh,
    type SimLifecycleAction,
} from "../../src/sandbox/autoscaling";

const T0 = Date.UTC(2025, 4, 16, 6, 27, 0);
const GROUP = "web";
const LT = "lt-0web00000000000001";
const HOOK = "launch-hook";
const LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING";

interface WorldOptions {
    /** Default: one launching hook HOOK with heartbeatTimeout 300, DefaultResult ABANDON. */
    hooks?: AsgLifecycleHookSeed[];
    scenario?: AsgScenario;
    /** Default 2 (with MinHealthyPercentage 50: two batches of one). */
    capacity?: number;
}

function hook(over: Partial<AsgLifecycleHookSeed> = {}): AsgLifecycleHookSeed {
    return {
        lifecycleHookName: HOOK,
        lifecycleTransition: LAUNCHING,
        heartbeatTimeout: 300,
        defaultResult: "ABANDON",
        ...over,
    };
}

/** A group on version 1 of a 3-version template, with hooks, on a ManualClock. */
function world(opts: WorldOptions = {}) {
    const clock = new ManualClock(T0);
    let refreshes = 0;
    let instances = 0;
    let tokens = 0;
    const engine = new AsgRefreshEngine({
        defaultScenario: { pendingSeconds: 0, batchSeconds: 10, ...opts.scenario },
        newRefreshId: () => `ir-${++refreshes}`,
        newInstanceId: () => `i-${String(++instances).padStart(17, "0")}`,
        newLifecycleActionToken: () =>
            `00000000-0000-4000-8000-${String(++tokens).padStart(12, "0")}`,
    });
    engine.addLaunchTemplate(
        { launchTemplateId: LT, launchTemplateName: "web-template", versions: 3 },
        T0,
    );
    engine.addGroup(
        {
            autoScalingGroupName: GROUP,
            capacity: opts.capacity ?? 2,
            launchTemplate: { launchTemplateId: LT, version: "1" },
            lifecycleHooks: opts.hooks ?? [hook()],
        },
        T0,
    );
    const start = (params: Record<string, string> = {}): SimAsgRefresh =>
        engine.start(
            parseStartInstanceRefresh({
                AutoScalingGroupName: GROUP,
                "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
                "DesiredConfiguration.LaunchTemplate.Version": "2",
                "Preferences.MinHealthyPercentage": "50",
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
    const instancesNow = () => engine.group(GROUP)?.instances ?? [];
    const states = (): string[] => instancesNow().map((i) => i.lifecycleState);
    const versions = (): (string | undefined)[] =>
        instancesNow().map((i) => i.launchTemplate?.version);
    const actions = (): SimLifecycleAction[] =>
        engine.lifecycleActions({ autoScalingGroupName: GROUP });
    const pendingWait = (): string[] =>
        instancesNow()
            .filter((i) => i.lifecycleState === "Pending:Wait")
            .map((i) => i.instanceId);
    const ref = (r: Partial<LifecycleActionRef>): LifecycleActionRef => ({
        autoScalingGroupName: GROUP,
        lifecycleHookName: HOOK,
        ...r,
    });
    const heartbeat = (r: Partial<LifecycleActionRef>) =>
        engine.recordLifecycleActionHeartbeat(ref(r), clock.now());
    const complete = (r: Partial<LifecycleActionRef>, result: "CONTINUE" | "ABANDON") =>
        engine.completeLifecycleAction(ref(r), result, clock.now());
    return {
        clock,
        engine,
        start,
        at,
        states,
        versions,
        actions,
        pendingWait,
        heartbeat,
        complete,
        instancesNow,
    };
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

describe("lifecycle hooks: seeding and describing", () => {
    it("fills AWS's defaults and derives GlobalTimeout = min(172800, 100 x HeartbeatTimeout)", () => {
        const w = world({
            hooks: [
                { lifecycleHookName: "defaults", lifecycleTransition: LAUNCHING },
                hook({
                    lifecycleHookName: "short",
                    heartbeatTimeout: 30,
                    defaultResult: "CONTINUE",
                }),
                {
                    lifecycleHookName: "drain/terminate",
                    lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
                    heartbeatTimeout: 7200,
                    notificationMetadata: "{}",
                },
            ],
        });
        expect(w.engine.lifecycleHooks(GROUP)).toEqual([
            {
                autoScalingGroupName: GROUP,
                lifecycleHookName: "defaults",
                lifecycleTransition: LAUNCHING,
                heartbeatTimeout: 3600,
                globalTimeout: 172800,
                defaultResult: "ABANDON",
            },
            {
                autoScalingGroupName: GROUP,
                lifecycleHookName: "short",
                lifecycleTransition: LAUNCHING,
                heartbeatTimeout: 30,
                globalTimeout: 3000,
                defaultResult: "CONTINUE",
            },
            {
                autoScalingGroupName: GROUP,
                lifecycleHookName: "drain/terminate",
                lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
                heartbeatTimeout: 7200,
                globalTimeout: 172800,
                defaultResult: "ABANDON",
                notificationMetadata: "{}",
            },
        ]);
        expect(
            w.engine.lifecycleHooks(GROUP, ["short", "nope"]).map((h) => h.lifecycleHookName),
        ).toEqual(["short"]);
        expect(globalTimeoutFor(1000)).toBe(100_000);
        expect(globalTimeoutFor(1800)).toBe(172_800);
    });

    it("refuses hooks outside AWS's limits", () => {
        const engine = new AsgRefreshEngine();
        const add = (h: Partial<AsgLifecycleHookSeed>) => () =>
            engine.addGroup(
                {
                    autoScalingGroupName: `g${Math.random()}`,
                    capacity: 0,
                    lifecycleHooks: [hook(h)],
                },
                T0,
            );
        expect(add({ heartbeatTimeout: 29 })).toThrow(
            /heartbeatTimeout must be an integer from 30 to 7200/,
        );
        expect(add({ heartbeatTimeout: 7201 })).toThrow(RangeError);
        expect(add({ heartbeatTimeout: 60.5 })).toThrow(RangeError);
        expect(add({ defaultResult: "RETRY" as never })).toThrow(/defaultResult/);
        expect(add({ lifecycleTransition: "autoscaling:EC2_INSTANCE_REBOOTING" as never })).toThrow(
            /lifecycleTransition/,
        );
        expect(add({ lifecycleHookName: "has space" })).toThrow(/lifecycleHookName/);
        expect(() =>
            engine.addGroup(
                { autoScalingGroupName: "twice", capacity: 0, lifecycleHooks: [hook(), hook()] },
                T0,
            ),
        ).toThrow(/two lifecycle hooks/);
    });

    it("putLifecycleHook adds, then replaces by name", () => {
        const w = world({ hooks: [] });
        expect(w.engine.putLifecycleHook(GROUP, hook({ heartbeatTimeout: 60 }), T0)).toBe(true);
        expect(w.engine.putLifecycleHook(GROUP, hook({ heartbeatTimeout: 90 }), T0)).toBe(false);
        expect(w.engine.lifecycleHooks(GROUP)).toMatchObject([
            { lifecycleHookName: HOOK, heartbeatTimeout: 90, globalTimeout: 9000 },
        ]);
        expect(() => w.engine.putLifecycleHook("nope", hook(), T0)).toThrow(/unknown/);
    });
});

describe("lifecycle hooks: refreshes", () => {
    it("a group without hooks (or with only a terminating hook) refreshes exactly as before", () => {
        for (const hooks of [
            [],
            [hook({ lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" })],
        ]) {
            const w = world({ hooks });
            w.start();
            expect(w.at(10)).toMatchObject({ Status: "InProgress", PercentageComplete: 50 });
            expect(w.states()).toEqual(["InService", "InService"]);
            expect(w.at(19.9).PercentageComplete).toBe(50);
            expect(w.at(20)).toMatchObject({ Status: "Successful", EndTime: iso(20) });
            expect(w.actions()).toEqual([]);
        }
    });

    it("holds each new instance in Pending:Wait until its bootstrap completes it, then proceeds", () => {
        const w = world({ scenario: { bootstrapSeconds: 120, proceedSeconds: 1 } });
        w.start();
        expect(w.at(9.9).StatusReason).toBeUndefined();
        const waiting = w.at(10);
        expect(waiting).toMatchObject({ Status: "InProgress", PercentageComplete: 0 });
        expect(waiting.StatusReason).toMatch(
            /^Waiting for instances to complete their launching lifecycle actions before continuing\. For example: i-0+3 is in Pending:Wait\.$/,
        );
        expect(w.states()).toEqual(["Pending:Wait", "InService"]);
        expect(w.versions()).toEqual(["2", "1"]);
        expect(w.pendingWait()).toEqual(["i-00000000000000003"]);
        expect(w.actions()).toEqual([
            {
                lifecycleActionToken: "00000000-0000-4000-8000-000000000001",
                autoScalingGroupName: GROUP,
                lifecycleHookName: HOOK,
                lifecycleTransition: LAUNCHING,
                instanceId: "i-00000000000000003",
                instanceRefreshId: "ir-1",
                status: "InProgress",
                startTime: iso(10),
                startedAt: T0 + 10_000,
                heartbeatTimeout: 300,
                globalTimeout: 30000,
                defaultResult: "ABANDON",
                timeoutAt: iso(310),
                globalTimeoutAt: iso(30010),
                bootstrapAt: iso(130),
                heartbeats: [],
            },
        ]);
        // the refresh does not progress past the waiting instance
        expect(w.at(129)).toMatchObject({ Status: "InProgress", PercentageComplete: 0 });
        w.at(130);
        expect(w.states()).toEqual(["Pending:Proceed", "InService"]);
        expect(w.actions()[0]).toMatchObject({
            status: "Completed",
            result: "CONTINUE",
            endedBy: "Bootstrap",
            endTime: iso(130),
        });
        const half = w.at(131);
        expect(half.PercentageComplete).toBe(50);
        expect(half.StatusReason).toBeUndefined();
        expect(w.states()).toEqual(["InService", "InService"]);
        // second batch: launched at 141, bootstrapped at 261, InService at 262
        w.at(141);
        expect(w.states()).toEqual(["InService", "Pending:Wait"]);
        expect(w.at(261.9).Status).toBe("InProgress");
        expect(w.at(262)).toMatchObject({ Status: "Successful", EndTime: iso(262) });
        expect(w.versions()).toEqual(["2", "2"]);
        expect(w.actions().map((a) => [a.instanceId, a.endedBy, a.result])).toEqual([
            ["i-00000000000000003", "Bootstrap", "CONTINUE"],
            ["i-00000000000000004", "Bootstrap", "CONTINUE"],
        ]);
    });

    it("warms up after the lifecycle wait, not during it", () => {
        const w = world({ scenario: { bootstrapSeconds: 20, proceedSeconds: 0 } });
        w.start({ "Preferences.InstanceWarmup": "5" });
        expect(w.at(29).StatusReason).toMatch(/Pending:Wait/);
        expect(w.at(30).StatusReason).toMatch(/is warming up/);
        expect(w.at(35).PercentageComplete).toBe(50);
        expect(w.at(70)).toMatchObject({ Status: "Successful", EndTime: iso(70) });
    });

    it("bootstrap longer than the heartbeat window, DefaultResult ABANDON: the instance is terminated and the refresh fails", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60 })],
            scenario: { bootstrapSeconds: 600 },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        expect(w.at(69.9).Status).toBe("InProgress");
        const failed = w.at(70);
        expect(failed).toMatchObject({ Status: "Failed", EndTime: iso(70), PercentageComplete: 0 });
        expect(failed.StatusReason).toBe(
            `Instance refresh failed because the launch of instance ${id} was abandoned by ` +
                "lifecycle hook launch-hook: no heartbeat or completion arrived within its " +
                "HeartbeatTimeout of 60 seconds, so its DefaultResult ABANDON applied. The instance " +
                "was terminated.",
        );
        expect(w.actions()[0]).toMatchObject({
            status: "Completed",
            result: "ABANDON",
            endedBy: "HeartbeatTimeout",
            endTime: iso(70),
        });
        expect(w.states()).toEqual(["Terminating", "InService"]);
        // then the group refills the slot with its own (old) configuration
        w.at(71);
        expect(w.states()).toEqual(["InService", "InService"]);
        expect(w.versions()).toEqual(["1", "1"]);
        expect(w.instancesNow().map((i) => i.instanceId)).not.toContain(id);
        expect(w.engine.group(GROUP)?.launchTemplate?.version).toBe("1");
        // the action is over: heartbeats and completions are refused as AWS does
        const err = errorOf(() => w.heartbeat({ instanceId: id }));
        expect(err).toMatchObject({
            httpStatus: 400,
            code: "ValidationError",
            message: `No active Lifecycle Action found with instance ID ${id}`,
        });
        expect(errorOf(() => w.complete({ instanceId: id }, "CONTINUE")).code).toBe(
            "ValidationError",
        );
        // a new refresh can start
        expect(w.start().Status).toBe("Pending");
    });

    it("with AutoRollback, an abandoned launch rolls the refresh back (whose relaunches wait on the hooks too)", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60 })],
            scenario: { bootstrapSecondsPerInstance: [600, 5], proceedSeconds: 1 },
        });
        w.start({ "Preferences.AutoRollback": "true" });
        const rolling = w.at(70);
        expect(rolling.Status).toBe("RollbackInProgress");
        expect(rolling.StatusReason).toMatch(/was abandoned by lifecycle hook launch-hook/);
        expect(rolling.RollbackDetails?.RollbackReason).toBe(rolling.StatusReason);
        // the rollback batch relaunches the old configuration at 80, which waits for its bootstrap
        w.at(80);
        expect(w.states()).toEqual(["Pending:Wait", "InService"]);
        expect(w.versions()).toEqual(["1", "1"]);
        expect(w.at(85.9).Status).toBe("RollbackInProgress");
        expect(w.at(86)).toMatchObject({ Status: "RollbackSuccessful", EndTime: iso(86) });
        expect(w.actions().map((a) => a.endedBy)).toEqual(["HeartbeatTimeout", "Bootstrap"]);
    });

    it("an abandoned relaunch during a rollback makes it RollbackFailed", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60 })],
            scenario: { bootstrapSeconds: 600 },
        });
        w.start({ "Preferences.AutoRollback": "true" });
        expect(w.at(70).Status).toBe("RollbackInProgress");
        const failed = w.at(140);
        expect(failed).toMatchObject({ Status: "RollbackFailed", EndTime: iso(140) });
        expect(failed.StatusReason).toMatch(
            /^The rollback failed because the launch of instance i-\d+ was abandoned by lifecycle hook launch-hook: no heartbeat/,
        );
    });

    it("bootstrap longer than the heartbeat window, DefaultResult CONTINUE: the instance proceeds", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60, defaultResult: "CONTINUE" })],
            scenario: { bootstrapSeconds: null, proceedSeconds: 1 },
        });
        w.start();
        w.at(70);
        expect(w.states()).toEqual(["Pending:Proceed", "InService"]);
        expect(w.actions()[0]).toMatchObject({ result: "CONTINUE", endedBy: "HeartbeatTimeout" });
        expect(w.actions()[0]?.bootstrapAt).toBeUndefined();
        expect(w.at(71).PercentageComplete).toBe(50);
        expect(w.at(142)).toMatchObject({ Status: "Successful", EndTime: iso(142) });
    });

    it("the instance's own ABANDON (a failed bootstrap) fails the refresh", () => {
        const w = world({ scenario: { bootstrapSeconds: 45, bootstrapResult: "ABANDON" } });
        w.start();
        const failed = w.at(55);
        expect(failed.Status).toBe("Failed");
        expect(failed.StatusReason).toMatch(
            /launch-hook: the instance's bootstrap completed the lifecycle action with ABANDON\./,
        );
        expect(w.actions()[0]).toMatchObject({ result: "ABANDON", endedBy: "Bootstrap" });
    });

    it("waits for every launching hook; each action has its own token", () => {
        const w = world({
            hooks: [
                hook({ lifecycleHookName: "a", heartbeatTimeout: 100 }),
                hook({ lifecycleHookName: "b", heartbeatTimeout: 100 }),
            ],
            scenario: { bootstrapSeconds: null, proceedSeconds: 0 },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        const [a, b] = w.actions();
        expect(a?.lifecycleActionToken).not.toBe(b?.lifecycleActionToken);
        w.at(20);
        w.complete({ lifecycleHookName: "a", instanceId: id }, "CONTINUE");
        expect(w.states()[0]).toBe("Pending:Wait");
        w.complete(
            { lifecycleHookName: "b", lifecycleActionToken: b?.lifecycleActionToken },
            "CONTINUE",
        );
        expect(w.states()[0]).toBe("InService");
        expect(w.at(20).PercentageComplete).toBe(50);
    });

    it("one hook's ABANDON ends the instance's other actions", () => {
        const w = world({
            hooks: [hook({ lifecycleHookName: "a" }), hook({ lifecycleHookName: "b" })],
            scenario: { bootstrapSeconds: null },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        w.at(12);
        w.complete({ lifecycleHookName: "b", instanceId: id }, "ABANDON");
        expect(w.at(12).Status).toBe("Failed");
        expect(w.at(12).StatusReason).toMatch(
            /lifecycle hook b: a CompleteLifecycleAction request completed it with ABANDON/,
        );
        expect(w.actions().map((x) => [x.lifecycleHookName, x.endedBy, x.result])).toEqual([
            ["a", "InstanceTerminated", undefined],
            ["b", "CompleteLifecycleAction", "ABANDON"],
        ]);
        expect(errorOf(() => w.heartbeat({ lifecycleHookName: "a", instanceId: id })).message).toBe(
            `No active Lifecycle Action found with instance ID ${id}`,
        );
    });

    it("a cancelled refresh leaves its waiting instances on their own clock", () => {
        const w = world({ scenario: { bootstrapSeconds: 100, proceedSeconds: 0 } });
        w.start();
        w.at(10);
        w.engine.cancel(GROUP, w.clock.now());
        expect(w.at(20).Status).toBe("Cancelled");
        expect(w.states()).toEqual(["Pending:Wait", "InService"]);
        w.at(110);
        expect(w.states()).toEqual(["InService", "InService"]);
        expect(w.at(110)).toMatchObject({ Status: "Cancelled", EndTime: iso(20) });
    });

    it("a manual rollback replaces instances still in Pending:Wait, ending their actions", () => {
        const w = world({ scenario: { bootstrapSeconds: null } });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        w.engine.rollback(GROUP, w.clock.now());
        w.at(20);
        expect(w.actions()[0]).toMatchObject({
            instanceId: id,
            status: "Completed",
            endedBy: "InstanceTerminated",
            endTime: iso(20),
        });
        expect(w.actions()[0]?.result).toBeUndefined();
        expect(w.pendingWait()).toHaveLength(1);
        expect(w.pendingWait()).not.toContain(id);
    });
});

describe("lifecycle hooks: heartbeats and completions", () => {
    it("each heartbeat restarts the window from now, so a long bootstrap gets through", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60 })],
            scenario: { bootstrapSeconds: 200, proceedSeconds: 1 },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        for (const t of [60, 110, 160]) {
            w.at(t);
            const action = w.heartbeat({ instanceId: id });
            expect(action.timeoutAt).toBe(iso(t + 60));
        }
        const [action] = w.actions();
        expect(action?.heartbeats).toEqual(
            [60, 110, 160].map((t) => ({
                at: T0 + t * 1000,
                time: iso(t),
                by: "InstanceId",
                timeoutAt: iso(t + 60),
            })),
        );
        expect(w.at(209.9).Status).toBe("InProgress");
        w.at(210);
        expect(w.actions()[0]).toMatchObject({ endedBy: "Bootstrap", result: "CONTINUE" });
        expect(w.at(211).PercentageComplete).toBe(50);
    });

    it("a heartbeat by token works too, and a late one is refused", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 60 })],
            scenario: { bootstrapSeconds: null },
        });
        w.start();
        w.at(10);
        const token = w.actions()[0]?.lifecycleActionToken ?? "";
        w.at(69);
        expect(w.heartbeat({ lifecycleActionToken: token }).heartbeats[0]?.by).toBe(
            "LifecycleActionToken",
        );
        expect(w.at(128).Status).toBe("InProgress");
        expect(w.at(129).Status).toBe("Failed");
        const err = errorOf(() => w.heartbeat({ lifecycleActionToken: token }));
        expect(err.message).toBe(`No active Lifecycle Action found with token ${token}`);
    });

    it("past GlobalTimeout no heartbeat extends the action: DefaultResult applies and heartbeats are refused", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 30, defaultResult: "CONTINUE" })],
            scenario: { bootstrapSeconds: null, proceedSeconds: 0 },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        // started at 10, GlobalTimeout 3000 s: the action cannot outlive 3010
        expect(w.actions()[0]?.globalTimeoutAt).toBe(iso(3010));
        let accepted = 0;
        for (let t = 35; t < 3010; t += 25) {
            w.at(t);
            w.heartbeat({ instanceId: id });
            accepted++;
        }
        expect(accepted).toBe(119);
        // the last heartbeat (at 2985) was capped at the global deadline
        expect(w.actions()[0]?.timeoutAt).toBe(iso(3010));
        expect(w.at(3009).Status).toBe("InProgress");
        expect(w.states()[0]).toBe("Pending:Wait");
        w.at(3010);
        expect(w.actions()[0]).toMatchObject({
            status: "Completed",
            result: "CONTINUE",
            endedBy: "GlobalTimeout",
            endTime: iso(3010),
        });
        expect(w.actions()[0]?.heartbeats).toHaveLength(119);
        expect(w.states()[0]).toBe("InService");
        const err = errorOf(() => w.heartbeat({ instanceId: id }));
        expect(err).toMatchObject({
            code: "ValidationError",
            message: `No active Lifecycle Action found with instance ID ${id}`,
        });
        expect(w.actions()[0]?.heartbeats).toHaveLength(119);
    });

    it("GlobalTimeout with DefaultResult ABANDON fails the refresh naming the global timeout", () => {
        const w = world({
            hooks: [hook({ heartbeatTimeout: 30 })],
            scenario: { bootstrapSeconds: null },
        });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        for (let t = 30; t < 3010; t += 20) {
            w.at(t);
            w.heartbeat({ instanceId: id });
        }
        const failed = w.at(3010);
        expect(failed.Status).toBe("Failed");
        expect(failed.StatusReason).toMatch(
            /reached the hook's GlobalTimeout of 3000 seconds in Pending:Wait, so its DefaultResult ABANDON applied/,
        );
    });

    it("CompleteLifecycleAction CONTINUE ends the wait early", () => {
        const w = world({ scenario: { bootstrapSeconds: null, proceedSeconds: 2 } });
        w.start();
        w.at(15);
        const [id] = w.pendingWait();
        const done = w.complete({ instanceId: id }, "CONTINUE");
        expect(done).toMatchObject({
            status: "Completed",
            result: "CONTINUE",
            endedBy: "CompleteLifecycleAction",
            endTime: iso(15),
        });
        expect(w.states()[0]).toBe("Pending:Proceed");
        expect(w.at(17).PercentageComplete).toBe(50);
        expect(errorOf(() => w.complete({ instanceId: id }, "CONTINUE")).message).toBe(
            `No active Lifecycle Action found with instance ID ${id}`,
        );
    });

    it("refuses an unknown group, hook, token or instance, and a request naming neither", () => {
        const w = world({ scenario: { bootstrapSeconds: null } });
        w.start();
        w.at(10);
        const [id] = w.pendingWait();
        const token = w.actions()[0]?.lifecycleActionToken ?? "";
        expect(
            errorOf(() =>
                w.engine.recordLifecycleActionHeartbeat(
                    { autoScalingGroupName: "nope", lifecycleHookName: HOOK, instanceId: id },
                    w.clock.now(),
                ),
            ).message,
        ).toBe("AutoScalingGroup name not found - AutoScalingGroup 'nope' not found");
        expect(
            errorOf(() => w.heartbeat({ lifecycleHookName: "other", instanceId: id })).message,
        ).toBe(`No active Lifecycle Action found with instance ID ${id}`);
        expect(errorOf(() => w.heartbeat({ instanceId: "i-00000000000000001" })).message).toBe(
            "No active Lifecycle Action found with instance ID i-00000000000000001",
        );
        const unknown = "11111111-2222-4333-8444-555555555555";
        expect(errorOf(() => w.heartbeat({ lifecycleActionToken: unknown })).message).toBe(
            `No active Lifecycle Action found with token ${unknown}`,
        );
        // token and instance must name the same action
        expect(
            errorOf(() =>
                w.heartbeat({ lifecycleActionToken: token, instanceId: "i-00000000000000002" }),
            ).code,
        ).toBe("ValidationError");
        expect(errorOf(() => w.heartbeat({})).message).toMatch(
            /instance ID or the lifecycle action token/,
        );
        // none of these touched the action
        expect(w.actions()[0]?.heartbeats).toEqual([]);
        expect(
            w.heartbeat({ lifecycleActionToken: token, instanceId: id }).heartbeats,
        ).toHaveLength(1);
    });
});
