import { ManualClock } from "../../src/sandbox/clock";
import {
    EcsApiError,
    EcsEngine,
    type EcsInstanceSeed,
    type EcsNotification,
    type EcsScenario,
    EcsSimulator,
    SANDBOX_ACCOUNT_ID,
    snapshotEvent,
    snapshotInstance,
    snapshotTask,
    type SimEvent,
    type SimInstance,
    type SimTask,
} from "../../src/sandbox/ecs";
import { notificationTime } from "../../src/sandbox/ecs/format";

const T0 = Date.UTC(2025, 4, 16, 6, 27, 0);

/** An engine on a ManualClock with deterministic ids, and helpers to drive and observe it. */
function world(scenario?: EcsScenario) {
    const clock = new ManualClock(T0);
    const counters = { task: 0, event: 0, host: 0 };
    const engine = new EcsEngine({
        defaultScenario: scenario,
        newId: (kind) =>
            `${kind === "task" ? "t" : kind === "event" ? "e" : "host"}-${++counters[kind]}`,
    });
    const add = (seed: EcsInstanceSeed) => engine.addInstance(seed, clock.now());
    /** Moves to T0 + seconds. */
    const at = (seconds: number): void => {
        clock.set(T0 + seconds * 1000);
        engine.advance(clock.now());
    };
    const instance = (id: string): SimInstance => {
        engine.advance(clock.now());
        return snapshotInstance(engine.instance(id)!);
    };
    const task = (id: string): SimTask => {
        engine.advance(clock.now());
        return snapshotTask(engine.tasks().find((t) => t.id === id)!);
    };
    const event = (id: string): SimEvent => {
        engine.advance(clock.now());
        return snapshotEvent(engine.events().find((e) => e.id === id)!);
    };
    const redeploy = (id: string, forceStop = false) =>
        engine.redeploy(id, forceStop, clock.now()).id;
    const notes = (): EcsNotification[] => {
        engine.advance(clock.now());
        return engine.notifications();
    };
    /** "<time offset s> <name> <state or eventStatus>" lines of the notifications sent. */
    const timeline = (): string[] =>
        notes().map((n) => {
            const what = n.content["state"] ?? n.content["eventStatus"];
            const id = n.content["eventId"] ?? n.content["resourceId"];
            return `${offsetOf(n.eventTime)} ${id} ${what}`;
        });
    return { clock, engine, add, at, instance, task, event, redeploy, notes, timeline };
}

/** Seconds after T0 of a notification's eventTime ("20250516T142700.000+0800"). */
function offsetOf(eventTime: string): number {
    const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)\.(\d{3})\+0800$/.exec(eventTime);
    if (!m) {
        throw new Error(`bad eventTime ${eventTime}`);
    }
    const n = m.slice(1).map(Number);
    const at = (i: number): number => n[i] ?? 0;
    return (Date.UTC(at(0), at(1) - 1, at(2), at(3) - 8, at(4), at(5), at(6)) - T0) / 1000;
}

function iso(seconds: number): string {
    return new Date(T0 + seconds * 1000).toISOString().replace(".000Z", "Z");
}

function errorOf(fn: () => unknown): { code: string; status: number; message: string } {
    try {
        fn();
    } catch (e) {
        if (e instanceof EcsApiError) {
            return { code: e.code, status: e.httpStatus, message: e.message };
        }
        throw e;
    }
    throw new Error("expected an EcsApiError");
}

describe("notification time format", () => {
    it("is compact and in UTC+8, with milliseconds", () => {
        expect(notificationTime(Date.UTC(2019, 3, 9, 4, 18, 26, 922))).toBe(
            "20190409T121826.922+0800",
        );
        expect(notificationTime(Date.UTC(2019, 11, 31, 20, 0, 0, 5))).toBe(
            "20200101T040000.005+0800",
        );
    });
});

describe("redeploy of a Running instance", () => {
    it("goes Stopping, Stopped, Starting, Running on a new host, with the default timings", () => {
        const w = world();
        w.add({ instanceId: "i-a", localDisks: 2 });
        const before = w.instance("i-a");
        const id = w.redeploy("i-a");
        expect(w.task(id)).toMatchObject({
            TaskId: "t-1",
            TaskAction: "RedeployInstance",
            TaskStatus: "Processing",
            ResourceId: "i-a",
            RegionId: "cn-hangzhou",
            SupportCancel: "false",
            CreationTime: "2025-05-16T06:27Z",
            forceStop: false,
            originalStatus: "Running",
            originalHostId: before.hostId,
        });
        expect(w.instance("i-a")).toMatchObject({
            status: "Stopping",
            redeployTaskId: id,
            lastStop: "graceful",
        });
        const seen: string[] = [];
        for (let s = 0; s <= 30; s += 0.5) {
            w.at(s);
            const label = `${w.instance("i-a").status}/${w.task(id).TaskStatus}`;
            if (seen[seen.length - 1]?.split("@")[0] !== label) {
                seen.push(`${label}@${s}`);
            }
        }
        expect(seen).toEqual([
            "Stopping/Processing@0",
            "Stopped/Processing@5",
            "Starting/Processing@15",
            "Running/Finished@20",
        ]);
        const after = w.instance("i-a");
        expect(after.hostId).not.toBe(before.hostId);
        expect(after.redeployCount).toBe(1);
        expect(after.redeployTaskId).toBeUndefined();
        expect(after.localDisks).toEqual([
            { diskId: "d-al1", category: "local_ssd_pro", dataErased: true },
            { diskId: "d-al2", category: "local_ssd_pro", dataErased: true },
        ]);
        expect(w.task(id)).toMatchObject({
            TaskStatus: "Finished",
            FinishedTime: "2025-05-16T06:27Z",
            finishedAt: T0 + 20_000,
            newHostId: after.hostId,
        });
        expect(w.task(id).error).toBeUndefined();
    });

    it("uses the instance's scenario merged over the default, and records a forced stop", () => {
        const w = world({ stopSeconds: 30, migrateSeconds: 60, startSeconds: 30 });
        w.add({ instanceId: "i-a" });
        w.engine.setScenario(
            "i-a",
            { migrateSeconds: 600, startSeconds: undefined },
            w.clock.now(),
        );
        const id = w.redeploy("i-a", true);
        expect(w.instance("i-a").lastStop).toBe("forced");
        expect(w.task(id).forceStop).toBe(true);
        w.at(29.999);
        expect(w.instance("i-a").status).toBe("Stopping");
        w.at(30);
        expect(w.instance("i-a").status).toBe("Stopped");
        w.at(629.999);
        expect(w.instance("i-a").status).toBe("Stopped");
        w.at(630);
        expect(w.instance("i-a").status).toBe("Starting");
        w.at(660);
        expect(w.task(id)).toMatchObject({
            TaskStatus: "Finished",
            FinishedTime: "2025-05-16T06:38Z",
        });
    });

    it("progresses TaskProcess with time", () => {
        const w = world();
        w.add({ instanceId: "i-a" });
        const id = w.redeploy("i-a");
        const task = () => w.engine.tasks().find((t) => t.id === id)!;
        w.at(10);
        expect(w.engine.progress(task(), w.clock.now())).toBe(50);
        w.at(20);
        expect(w.engine.progress(task(), w.clock.now())).toBe(100);
    });
});

describe("redeploy of a Stopped instance", () => {
    it("goes Starting while data migrates, then Running on a new host", () => {
        const w = world();
        w.add({ instanceId: "i-s", status: "Stopped" });
        const host = w.instance("i-s").hostId;
        const id = w.redeploy("i-s");
        expect(w.instance("i-s").status).toBe("Starting");
        expect(w.instance("i-s").lastStop).toBeUndefined();
        w.at(14.999);
        expect(w.instance("i-s").status).toBe("Starting");
        expect(w.task(id).TaskStatus).toBe("Processing");
        w.at(15);
        expect(w.instance("i-s")).toMatchObject({ status: "Running", redeployCount: 1 });
        expect(w.instance("i-s").hostId).not.toBe(host);
        expect(w.task(id)).toMatchObject({ TaskStatus: "Finished", originalStatus: "Stopped" });
        expect(w.timeline()).toEqual(["0 i-s Starting", "15 i-s Running"]);
    });
});

describe("a failed redeploy", () => {
    const failWith = { code: "NoStock", message: "No host has room for the instance." };

    it("returns a Running instance to its original host, Running; the task ends Failed", () => {
        const w = world({ failWith });
        w.add({
            instanceId: "i-a",
            localDisks: 1,
            events: [{ eventId: "e-r", eventType: "SystemMaintenance.Reboot" }],
        });
        const host = w.instance("i-a").hostId;
        const id = w.redeploy("i-a");
        w.at(60);
        expect(w.instance("i-a")).toMatchObject({
            status: "Running",
            hostId: host,
            redeployCount: 0,
        });
        expect(w.instance("i-a").localDisks[0]?.dataErased).toBe(false);
        expect(w.task(id)).toMatchObject({
            TaskStatus: "Failed",
            error: failWith,
            finishedAt: T0 + 20_000,
        });
        expect(w.task(id).newHostId).toBeUndefined();
        expect(w.event("e-r").EventCycleStatus).toBe("Scheduled");
        expect(w.timeline()).toEqual([
            "0 e-r Scheduled",
            "0 i-a Stopping",
            "5 i-a Stopped",
            "15 i-a Starting",
            "20 i-a Running",
        ]);
    });

    it("returns a Stopped instance to Stopped when the migration fails", () => {
        const w = world();
        w.add({ instanceId: "i-s", status: "Stopped" });
        w.engine.setScenario("i-s", { failWith }, w.clock.now());
        const host = w.instance("i-s").hostId;
        const id = w.redeploy("i-s");
        w.at(10);
        expect(w.instance("i-s")).toMatchObject({ status: "Stopped", hostId: host });
        expect(w.task(id)).toMatchObject({ TaskStatus: "Failed", finishedAt: T0 + 10_000 });
        expect(w.timeline()).toEqual(["0 i-s Starting", "10 i-s Stopped"]);
        // It can be redeployed again once the failure is gone.
        w.engine.setScenario("i-s", {}, w.clock.now());
        const again = w.redeploy("i-s");
        w.at(25);
        expect(w.task(again).TaskStatus).toBe("Finished");
    });
});

describe("events handled by a redeploy", () => {
    it("end Avoided (Scheduled, Inquiring) or Executed (Executing); others stay", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            localDisks: 1,
            events: [
                { eventId: "e-reboot", eventType: "SystemMaintenance.Reboot" },
                {
                    eventId: "e-inq",
                    eventType: "SystemMaintenance.RebootAndIsolateErrorDisk",
                    status: "Inquiring",
                },
                { eventId: "e-fail", eventType: "SystemFailure.Reboot", status: "Executing" },
                { eventId: "e-exp", eventType: "InstanceExpiration.Stop" },
                {
                    eventId: "e-reinit",
                    eventType: "SystemMaintenance.RebootAndReInitErrorDisk",
                    status: "Scheduled",
                },
            ],
        });
        w.at(100);
        w.redeploy("i-a");
        w.at(120);
        expect(w.event("e-reboot")).toMatchObject({
            EventCycleStatus: "Avoided",
            ExecuteStartTime: iso(120),
            ExecuteFinishTime: iso(120),
            EventFinishTime: iso(120),
        });
        expect(w.event("e-inq").EventCycleStatus).toBe("Avoided");
        expect(w.event("e-fail")).toMatchObject({
            EventCycleStatus: "Executed",
            ExecuteStartTime: iso(0),
            ExecuteFinishTime: iso(120),
        });
        // Not in seed 000's table (type, or type in that status): untouched.
        expect(w.event("e-exp").EventCycleStatus).toBe("Scheduled");
        expect(w.event("e-reinit").EventCycleStatus).toBe("Scheduled");
        expect(w.timeline().slice(-7)).toEqual([
            "100 i-a Stopping",
            "105 i-a Stopped",
            "115 i-a Starting",
            "120 i-a Running",
            "120 e-reboot Avoided",
            "120 e-inq Avoided",
            "120 e-fail Executed",
        ]);
    });

    it("sends notifications in seed 002's envelope", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            events: [{ eventId: "e-r", eventType: "SystemMaintenance.Reboot" }],
        });
        w.redeploy("i-a");
        w.at(20);
        const all = w.notes();
        expect(all[0]).toEqual({
            ver: "1.0",
            id: expect.stringMatching(/^[0-9A-F-]{36}$/),
            product: "ECS",
            resourceId: `acs:ecs:cn-hangzhou:${SANDBOX_ACCOUNT_ID}:instance/i-a`,
            level: "CRITICAL",
            name: "Instance:SystemMaintenance.Reboot:Scheduled",
            userId: SANDBOX_ACCOUNT_ID,
            eventTime: "20250516T142700.000+0800",
            regionId: "cn-hangzhou",
            content: {
                eventId: "e-r",
                publishTime: iso(0),
                notBefore: iso(3 * 86_400),
                instanceId: "i-a",
                eventType: "SystemMaintenance.Reboot",
                eventStatus: "Scheduled",
            },
        });
        expect(all[1]).toMatchObject({
            level: "INFO",
            name: "Instance:StateChange",
            eventTime: "20250516T142700.000+0800",
            content: {
                resourceId: "i-a",
                resourceType: "ALIYUN::ECS::Instance",
                state: "Stopping",
            },
        });
        const avoided = all[all.length - 1]!;
        expect(avoided).toMatchObject({
            name: "Instance:SystemMaintenance.Reboot:Avoided",
            eventTime: "20250516T142720.000+0800",
        });
        expect(avoided.content).toEqual({
            eventId: "e-r",
            publishTime: iso(0),
            notBefore: iso(3 * 86_400),
            instanceId: "i-a",
            eventType: "SystemMaintenance.Reboot",
            eventStatus: "Avoided",
            executeStartTime: iso(20),
            executeFinishTime: iso(20),
        });
        expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    });
});

describe("events the cloud executes itself", () => {
    it("reboot the instance once NotBefore passes: Executing, then Executed", () => {
        const w = world();
        w.add({ instanceId: "i-a", localDisks: 1 });
        const host = w.instance("i-a").hostId;
        const id = w.engine.addEvent(
            "i-a",
            { eventType: "SystemMaintenance.Reboot", notBeforeSeconds: 3600 },
            w.clock.now(),
        );
        expect(id).toBe("e-1");
        w.at(3599);
        expect(w.event(id).EventCycleStatus).toBe("Scheduled");
        w.at(3600);
        expect(w.event(id)).toMatchObject({
            EventCycleStatus: "Executing",
            ExecuteStartTime: iso(3600),
        });
        expect(w.instance("i-a").status).toBe("Stopping");
        w.at(3610);
        expect(w.event(id)).toMatchObject({
            EventCycleStatus: "Executed",
            ExecuteFinishTime: iso(3610),
            EventFinishTime: iso(3610),
        });
        expect(w.instance("i-a")).toMatchObject({ status: "Running", hostId: host });
        expect(w.instance("i-a").localDisks[0]?.dataErased).toBe(false);
        expect(w.timeline()).toEqual([
            "0 e-1 Scheduled",
            "3600 e-1 Executing",
            "3600 i-a Stopping",
            "3605 i-a Stopped",
            "3605 i-a Starting",
            "3610 i-a Running",
            "3610 e-1 Executed",
        ]);
        expect(w.notes()[1]?.name).toBe("Instance:SystemMaintenance.Reboot:Executing");
    });

    it("move the instance for *.Redeploy events, and stop it for *.Stop events", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            localDisks: 1,
            events: [
                { eventId: "e-rd", eventType: "SystemFailure.Redeploy", notBeforeSeconds: 60 },
            ],
        });
        w.add({
            instanceId: "i-b",
            events: [
                { eventId: "e-st", eventType: "InstanceExpiration.Stop", notBeforeSeconds: 60 },
            ],
        });
        const host = w.instance("i-a").hostId;
        w.at(80);
        expect(w.event("e-rd").EventCycleStatus).toBe("Executed");
        expect(w.instance("i-a").hostId).not.toBe(host);
        expect(w.instance("i-a").localDisks[0]?.dataErased).toBe(true);
        expect(w.event("e-st").EventCycleStatus).toBe("Executed");
        expect(w.instance("i-b").status).toBe("Stopped");
    });

    it("refuse a redeploy while one executes (IncorrectInstanceStatus)", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            events: [{ eventType: "SystemMaintenance.Reboot", notBeforeSeconds: 10 }],
        });
        w.at(10);
        expect(errorOf(() => w.redeploy("i-a"))).toMatchObject({
            code: "IncorrectInstanceStatus",
            status: 403,
        });
    });

    it("wait for a redeploy in progress: Avoided when it succeeds", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            events: [
                { eventId: "e-r", eventType: "SystemMaintenance.Reboot", notBeforeSeconds: 5 },
            ],
        });
        w.redeploy("i-a");
        w.at(10);
        expect(w.event("e-r").EventCycleStatus).toBe("Scheduled");
        w.at(20);
        expect(w.event("e-r").EventCycleStatus).toBe("Avoided");
        w.at(100);
        expect(w.instance("i-a").status).toBe("Running");
        expect(w.event("e-r").EventCycleStatus).toBe("Avoided");
    });

    it("wait for a redeploy in progress: executed right after it fails", () => {
        const w = world({ failWith: { code: "X", message: "y" } });
        w.add({
            instanceId: "i-a",
            events: [
                { eventId: "e-r", eventType: "SystemMaintenance.Reboot", notBeforeSeconds: 5 },
            ],
        });
        w.redeploy("i-a");
        w.at(20);
        expect(w.event("e-r")).toMatchObject({
            EventCycleStatus: "Executing",
            ExecuteStartTime: iso(20),
        });
        w.at(30);
        expect(w.event("e-r").EventCycleStatus).toBe("Executed");
        expect(w.instance("i-a").status).toBe("Running");
    });

    it("leave the instance alone for simulated events", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            events: [
                {
                    eventId: "e-sim",
                    eventType: "SystemMaintenance.Reboot",
                    simulated: true,
                    notBeforeSeconds: 60,
                },
                {
                    eventId: "e-simx",
                    eventType: "SystemFailure.Reboot",
                    status: "Executing",
                    simulated: true,
                    notBeforeSeconds: 30,
                },
            ],
        });
        w.at(30);
        expect(w.event("e-simx").EventCycleStatus).toBe("Executed");
        w.at(60);
        expect(w.event("e-sim").EventCycleStatus).toBe("Executing");
        w.at(70);
        expect(w.event("e-sim")).toMatchObject({ EventCycleStatus: "Executed", simulated: true });
        expect(w.instance("i-a").status).toBe("Running");
        expect(w.timeline().filter((l) => l.includes("i-a"))).toEqual([]);
    });
});

describe("RedeployInstance preconditions", () => {
    function check(seed: Partial<EcsInstanceSeed>, scenario?: EcsScenario) {
        const w = world(scenario);
        w.add({ instanceId: "i-x", ...seed });
        return errorOf(() => w.redeploy("i-x"));
    }

    it("answers each failure with seed 000's code, HTTP status and message", () => {
        const w = world();
        expect(errorOf(() => w.redeploy("i-unknown"))).toEqual({
            code: "InvalidInstanceId.NotFound",
            status: 404,
            message: "The InstanceId provided does not exist in our records.",
        });
        expect(check({ expired: true })).toEqual({
            code: "InstanceExpiredOrInArrears",
            status: 403,
            message:
                "The specified operation is denied as your prepay instance is expired " +
                "(prepay mode) or in arrears (afterpay mode).",
        });
        expect(check({ securityLocked: true })).toEqual({
            code: "InstanceLockedForSecurity",
            status: 403,
            message:
                "The specified operation is denied as your instance is locked for security reasons.",
        });
        expect(check({ dedicatedHostId: "dh-1" })).toMatchObject({
            code: "InvalidOperation.RedeployInstance",
            status: 403,
            message: expect.stringMatching(/dedicated host dh-1.*cannot be redeployed/),
        });
        expect(
            check({ events: [{ eventType: "SystemFailure.Redeploy", simulated: true }] }),
        ).toMatchObject({
            code: "InvalidOperation.RedeployInstance",
            status: 403,
            message: expect.stringMatching(/simulated system events \(e-1\)/),
        });
        expect(check({}, { diskError: true })).toEqual({
            code: "DiskError",
            status: 403,
            message: "IncorrectDiskStatus.",
        });
    });

    it("refuses an instance neither Running nor Stopped, or already being redeployed", () => {
        const w = world();
        w.add({ instanceId: "i-a" });
        w.add({ instanceId: "i-b", status: "Stopped" });
        w.redeploy("i-a");
        w.redeploy("i-b");
        expect(errorOf(() => w.redeploy("i-a"))).toMatchObject({
            code: "IncorrectInstanceStatus",
            status: 403,
            message: expect.stringMatching(/already being redeployed \(t-1\)/),
        });
        w.at(5); // i-a is Stopped now, but still being redeployed
        expect(w.instance("i-a").status).toBe("Stopped");
        expect(errorOf(() => w.redeploy("i-a")).code).toBe("IncorrectInstanceStatus");
        expect(errorOf(() => w.redeploy("i-b")).code).toBe("IncorrectInstanceStatus");
    });

    it("checks them in seed 000's order", () => {
        const all = { expired: true, securityLocked: true, dedicatedHostId: "dh-1" };
        expect(check(all, { diskError: true }).code).toBe("InstanceExpiredOrInArrears");
        expect(check({ ...all, expired: false }, { diskError: true }).code).toBe(
            "InstanceLockedForSecurity",
        );
        expect(
            check(
                {
                    dedicatedHostId: "dh-1",
                    events: [{ eventType: "SystemMaintenance.Reboot", simulated: true }],
                },
                { diskError: true },
            ).message,
        ).toMatch(/dedicated host/);
        expect(
            check(
                { events: [{ eventType: "SystemMaintenance.Reboot", simulated: true }] },
                { diskError: true },
            ).message,
        ).toMatch(/simulated/);
    });

    it("allows a redeploy when a real event is open beside a simulated one (which stays)", () => {
        const w = world();
        w.add({
            instanceId: "i-a",
            events: [
                { eventId: "e-sim", eventType: "SystemMaintenance.Reboot", simulated: true },
                { eventId: "e-real", eventType: "SystemMaintenance.Redeploy" },
            ],
        });
        w.redeploy("i-a");
        w.at(20);
        expect(w.event("e-real").EventCycleStatus).toBe("Avoided");
        expect(w.event("e-sim").EventCycleStatus).toBe("Scheduled");
    });

    it("allows a redeploy with no open event at all", () => {
        const w = world();
        w.add({ instanceId: "i-a" });
        expect(w.redeploy("i-a")).toBe("t-1");
    });
});

describe("seeds and scenarios", () => {
    it("rejects bad seeds and scenarios", () => {
        const w = world();
        w.add({ instanceId: "i-a" });
        expect(() => w.add({ instanceId: "i-a" })).toThrow(/already exists/);
        expect(() => w.add({ instanceId: "" })).toThrow(TypeError);
        expect(() => w.add({ instanceId: "i-b", localDisks: -1 })).toThrow(RangeError);
        expect(() => w.add({ instanceId: "i-c", status: "Starting" as never })).toThrow(RangeError);
        const now = w.clock.now();
        expect(() => w.engine.addEvent("i-z", { eventType: "X" }, now)).toThrow(/unknown/);
        expect(() => w.engine.addEvent("i-a", { eventType: "X", status: "Done" }, now)).toThrow(
            RangeError,
        );
        w.engine.addEvent("i-a", { eventId: "e-dup", eventType: "X" }, now);
        expect(() => w.engine.addEvent("i-a", { eventId: "e-dup", eventType: "X" }, now)).toThrow(
            /already exists/,
        );
        expect(() => w.engine.setScenario("i-a", { stopSeconds: -1 }, now)).toThrow(RangeError);
        expect(() => w.engine.setScenario("i-z", {}, now)).toThrow(/unknown/);
        expect(() => new EcsEngine({ defaultScenario: { startSeconds: NaN } })).toThrow(RangeError);
    });
});

describe("EcsSimulator (without HTTP)", () => {
    it("exposes snapshots, events, tasks and notifications on its clock", () => {
        const clock = new ManualClock(T0);
        const sim = new EcsSimulator({
            clock,
            instances: [{ instanceId: "i-a", dedicatedHostId: "dh-9" }],
        });
        const eventId = sim.addEvent("i-a", { eventType: "SystemMaintenance.Reboot" });
        expect(eventId).toMatch(/^e-[0-9a-f]{20}$/);
        expect(sim.instance("i-a")).toMatchObject({
            instanceId: "i-a",
            status: "Running",
            hostId: "dh-9",
            dedicatedHostId: "dh-9",
            securityLocked: false,
            localDisks: [],
            redeployCount: 0,
        });
        expect(() => sim.instance("i-nope")).toThrow(/unknown instance/);
        expect(sim.events("i-a")).toEqual([
            expect.objectContaining({
                EventId: eventId,
                EventCycleStatus: "Scheduled",
                NotBefore: iso(3 * 86_400),
                simulated: false,
            }),
        ]);
        expect(sim.tasks()).toEqual([]);
        clock.advance(3 * 86_400_000 + 10_000);
        expect(sim.events()[0]?.EventCycleStatus).toBe("Executed");
        expect(sim.notifications().map((n) => n.name)).toEqual([
            "Instance:SystemMaintenance.Reboot:Scheduled",
            "Instance:SystemMaintenance.Reboot:Executing",
            "Instance:StateChange",
            "Instance:StateChange",
            "Instance:StateChange",
            "Instance:StateChange",
            "Instance:SystemMaintenance.Reboot:Executed",
        ]);
        sim.reset();
        expect(sim.notifications()).toEqual([]);
        expect(sim.instances()).toHaveLength(1);
    });
});
