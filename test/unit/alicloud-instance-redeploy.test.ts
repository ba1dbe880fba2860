import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { UNKNOWN } from "../../src/core/validation";
import {
    InstanceRedeployProvider,
    RedeployProviderDeps,
} from "../../src/resources/alicloudInstanceRedeploy/provider";
import type { InstanceResult } from "../../src/resources/alicloudInstanceRedeploy/types";
import { validateInstanceRedeploy } from "../../src/resources/alicloudInstanceRedeploy/validate";
import { ecsError, FakeEcs } from "./fakeEcs";

type Props = Record<string, unknown>;

function setup() {
    const clock = new VirtualClock();
    const ecs = new FakeEcs(clock);
    const lines: string[] = [];
    const targets: unknown[] = [];
    const deps: RedeployProviderDeps = {
        ecs: (t) => {
            targets.push(t);
            return ecs;
        },
        clock,
        log: (l) => lines.push(l),
        env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" },
    };
    return { clock, ecs, lines, targets, provider: new InstanceRedeployProvider(deps) };
}

const inputs = (extra: Props = {}): Props =>
    validateInstanceRedeploy({
        instanceIds: ["i-a", "i-b"],
        __provider: "serialized",
        __resourceName: "fleet",
        ...extra,
    }).inputs as unknown as Props;

async function rejection(p: Promise<unknown>): Promise<{
    id: string;
    properties: Props;
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

const byId = (outs: Props): Record<string, InstanceResult> =>
    Object.fromEntries((outs.instances as InstanceResult[]).map((r) => [r.instanceId, r]));

describe("alicloud.InstanceRedeploy validation", () => {
    test("defaults: systemEvent, every event type of the RedeployInstance table, one at a time, 30 minutes", () => {
        const { inputs: v, violations } = validateInstanceRedeploy({ instanceIds: ["i-a"] });
        expect(violations).toEqual([]);
        expect(v).toMatchObject({
            when: "systemEvent",
            forceStop: false,
            allowLocalDiskDataLoss: false,
            maxConcurrent: 1,
            timeoutMinutes: 30,
        });
        expect(v.eventTypes).toEqual([
            "SystemMaintenance.Reboot",
            "SystemMaintenance.Redeploy",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "SystemFailure.Redeploy",
            "SystemFailure.Reboot",
            "SystemMaintenance.IsolateErrorDisk",
            "SystemMaintenance.ReInitErrorDisk",
        ]);
    });

    test.each([
        [{}, "instanceIds is required"],
        [{ instanceIds: [] }, "instanceIds must have at least 1 item"],
        [{ instanceIds: ["i-a", "i-a"] }, "instanceIds[1] repeats"],
        [{ instanceIds: ["vm-1"] }, "instanceIds[0] must be an ECS instance id"],
        [
            { instanceIds: ["i-a"], maxConcurrent: 0 },
            "maxConcurrent must be an integer from 1 to 100",
        ],
        [
            { instanceIds: ["i-a"], maxConcurrent: 101 },
            "maxConcurrent must be an integer from 1 to 100",
        ],
        [
            { instanceIds: ["i-a"], timeoutMinutes: 0 },
            "timeoutMinutes must be an integer from 1 to 1440",
        ],
        [
            { instanceIds: ["i-a"], when: "sometimes" },
            'when must be one of "always", "systemEvent"',
        ],
        [
            { instanceIds: ["i-a"], eventTypes: ["SystemFailure.Delete"] },
            "eventTypes[0] must be one of",
        ],
        [{ instanceIds: ["i-a"], eventTypes: [] }, "eventTypes must have at least 1 item"],
        [
            { instanceIds: ["i-a"], when: "always", eventTypes: ["SystemMaintenance.Reboot"] },
            "eventTypes applies only with",
        ],
        [{ instanceIds: ["i-a"], forceStop: "yes" }, "forceStop must be true or false"],
        [{ instanceIds: ["i-a"], endpoint: "http://ecs.example.com" }, "plain HTTP"],
        [{ instanceIds: ["i-a"], maxConcurency: 2 }, "maxConcurency is not a known property"],
    ])("%j is refused: %s", (news, message) => {
        const { violations } = validateInstanceRedeploy(news);
        expect(violations.map((v) => v.reason).join("\n")).toContain(message);
    });

    test("unknown values (preview) are accepted", () => {
        const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        expect(validateInstanceRedeploy({ instanceIds: unknown }).violations).toEqual([]);
        expect(validateInstanceRedeploy({ instanceIds: ["i-a", unknown] }).violations).toEqual([]);
    });
});

describe("alicloud.InstanceRedeploy diff (preview)", () => {
    test("shows an update, naming instance and event, exactly when an open event calls for a redeploy", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" });
        ecs.add({ instanceId: "i-b", status: "Running" });
        expect((await provider.diff("id", inputs(), inputs())).changes).toBe(false);
        expect(ecs.count("redeployInstance")).toBe(0);

        ecs.add({ instanceId: "i-b", status: "Running" }, [{ eventId: "e-42" }]);
        expect((await provider.diff("id", inputs(), inputs())).changes).toBe(true);
        expect(lines.join("\n")).toContain(
            "alicloud.InstanceRedeploy fleet: preview: i-b will be redeployed for SystemMaintenance.Reboot e-42 (Scheduled, not before 2026-02-01T00:00:00Z)",
        );
        expect(ecs.count("redeployInstance")).toBe(0);
    });

    test("events RedeployInstance does not handle, or in a status it does not handle, or not chosen, show no change", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [
            { eventType: "SystemMaintenance.Reboot", status: "Executing" },
            { eventType: "SystemFailure.Delete", status: "Executing" },
        ]);
        ecs.add({ instanceId: "i-b", status: "Running" }, [
            { eventType: "SystemMaintenance.Redeploy", status: "Scheduled" },
        ]);
        const only = inputs({ eventTypes: ["SystemMaintenance.Reboot"] });
        expect((await provider.diff("id", only, only)).changes).toBe(false);
        expect((await provider.diff("id", inputs(), inputs())).changes).toBe(true);
    });

    test("with when always, diff is pure: a trigger change or a new instance is an update", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" });
        ecs.add({ instanceId: "i-b", status: "Running" });
        const first = inputs({ when: "always", triggers: { release: "1" } });
        const { outs } = await provider.create(first);
        const calls = ecs.calls.length;
        expect((await provider.diff("id", outs, first)).changes).toBe(false);
        expect(
            (
                await provider.diff(
                    "id",
                    outs,
                    inputs({ when: "always", triggers: { release: "2" } }),
                )
            ).changes,
        ).toBe(true);
        expect(
            (
                await provider.diff(
                    "id",
                    outs,
                    inputs({
                        when: "always",
                        triggers: { release: "1" },
                        instanceIds: ["i-a", "i-b", "i-c"],
                    }),
                )
            ).changes,
        ).toBe(true);
        expect(ecs.calls.length).toBe(calls);
    });
});

describe("alicloud.InstanceRedeploy diff: changed arguments", () => {
    test.each([
        ["systemEvent", {}],
        ["always", { when: "always", triggers: { release: "1" } }],
    ])(
        "with when %s and nothing to redeploy, a changed argument is an update that saves it",
        async (_when, base) => {
            const { ecs, lines, provider } = setup();
            ecs.add({ instanceId: "i-a", status: "Running" });
            ecs.add({ instanceId: "i-b", status: "Running" });
            const { outs } = await provider.create(inputs(base));
            expect((await provider.diff("id", outs, inputs(base))).changes).toBe(false);
            const news = inputs({ ...base, forceStop: true, maxConcurrent: 2, timeoutMinutes: 45 });
            expect((await provider.diff("id", outs, news)).changes).toBe(true);
            expect(lines.join("\n")).toContain(
                "alicloud.InstanceRedeploy fleet: preview: forceStop, maxConcurrent, timeoutMinutes changed; nothing to redeploy now",
            );
            const redeploys = ecs.count("redeployInstance");
            const { outs: saved } = await provider.update("id", outs, news);
            expect(saved).toMatchObject({ forceStop: true, maxConcurrent: 2, timeoutMinutes: 45 });
            expect(ecs.count("redeployInstance")).toBe(redeploys);
            expect((await provider.diff("id", saved, news)).changes).toBe(false);
        },
    );
});

describe("alicloud.InstanceRedeploy diff: unknowns and preconditions", () => {
    test.each(["when", "eventTypes", "region", "endpoint", "triggers"])(
        "an unknown %s shows an update and calls nothing",
        async (key) => {
            const { ecs, targets, provider } = setup();
            ecs.add({ instanceId: "i-a", status: "Running" });
            ecs.add({ instanceId: "i-b", status: "Running" });
            const news = { ...inputs(), [key]: UNKNOWN };
            expect((await provider.diff("id", {}, news)).changes).toBe(true);
            expect(ecs.calls).toEqual([]);
            expect(targets).toEqual([]);
        },
    );

    test("preview says an instance a precondition refuses cannot be redeployed, and why", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running", dedicatedHostId: "dh-1" }, [{}]);
        ecs.add(
            {
                instanceId: "i-b",
                status: "Running",
                disks: [
                    { diskId: "d-sys", category: "cloud_essd", type: "system" },
                    { diskId: "d-loc", category: "local_ssd_pro", type: "data" },
                ],
            },
            [{}],
        );
        ecs.add({ instanceId: "i-c", status: "Running", lockReasons: ["security"] }, [{}]);
        const three = inputs({ instanceIds: ["i-a", "i-b", "i-c"] });
        const { changes } = await provider.diff("id", three, three);
        expect(changes).toBe(true);
        const text = lines.join("\n");
        expect(text).toContain("preview: i-a cannot be redeployed: it runs on dedicated host dh-1");
        expect(text).toContain(
            "preview: i-b cannot be redeployed: it has local disks d-loc (local_ssd_pro): a redeploy re-initializes local disks and ERASES their data",
        );
        expect(text).toContain("preview: i-c cannot be redeployed: it is locked for security");
        expect(text).not.toContain("will be redeployed");
        expect(ecs.count("redeployInstance")).toBe(0);
    });

    test("an event a redeploy remedies only on local-disk-only instances shows no change on others", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running", dedicatedHostId: "dh-1" }, [
            { eventType: "SystemFailure.Reboot", status: "Executing" },
        ]);
        ecs.add(
            {
                instanceId: "i-b",
                status: "Running",
                disks: [
                    { diskId: "d-sys", category: "cloud_essd", type: "system" },
                    { diskId: "d-loc", category: "local_hdd_pro", type: "data" },
                ],
            },
            [{ eventId: "e-loc", eventType: "SystemFailure.Reboot", status: "Executing" }],
        );
        const only = inputs({ instanceIds: ["i-a"] });
        expect((await provider.diff("id", only, only)).changes).toBe(false);
        const local = inputs({ instanceIds: ["i-b"], allowLocalDiskDataLoss: true });
        expect((await provider.diff("id", {}, local)).changes).toBe(true);
        expect(lines.join("\n")).toContain(
            "preview: i-b will be redeployed for SystemFailure.Reboot e-loc (Executing",
        );
    });
});

describe("alicloud.InstanceRedeploy up", () => {
    test("redeploys exactly the instances with an open event, waits for Running and reports each", async () => {
        const { ecs, lines, provider, targets } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{ eventId: "e-1" }]);
        ecs.add({ instanceId: "i-b", status: "Running" });
        const { outs } = await provider.create(inputs());
        expect(ecs.redeployedIds()).toEqual(["i-a"]);
        expect(ecs.calls.find((c) => c.op === "redeployInstance")?.args).toEqual({
            instanceId: "i-a",
            forceStop: false,
        });
        expect(outs.status).toBe("Succeeded");
        expect(outs.redeployedInstanceIds).toEqual(["i-a"]);
        const r = byId(outs);
        expect(r["i-a"]).toMatchObject({
            outcome: "redeployed",
            taskId: "t-1",
            taskStatus: "Finished",
            eventIds: ["e-1"],
            statusAfter: "Running",
        });
        expect(r["i-b"]).toMatchObject({
            outcome: "skipped",
            reason: "no open system event that calls for a redeploy",
        });
        expect(ecs.events[0]!.status).toBe("Avoided");
        expect(lines.join("\n")).toMatch(/i-a: redeploying for SystemMaintenance.Reboot e-1/);
        expect(lines.join("\n")).toMatch(/i-a: redeployed \(task t-1 Finished, instance Running\)/);
        expect(targets).toEqual([
            {
                region: "cn-hangzhou",
                endpoint: { host: "ecs.cn-hangzhou.aliyuncs.com", protocol: "https" },
            },
        ]);
        expect(outs).not.toHaveProperty("__provider");
    });

    test("never more than maxConcurrent redeploys at a time, and all of them done", async () => {
        const { ecs, provider } = setup();
        const ids = ["i-1", "i-2", "i-3", "i-4", "i-5", "i-6", "i-7"];
        for (const id of ids) {
            ecs.add({ instanceId: id, status: "Running" }, [{}]);
        }
        const { outs } = await provider.create(inputs({ instanceIds: ids, maxConcurrent: 3 }));
        expect(outs.redeployedInstanceIds).toEqual(ids);
        expect(ecs.peakConcurrency).toBe(3);
        expect(new Set(ecs.redeployedIds()).size).toBe(7);
        expect(ecs.redeployedIds()).toHaveLength(7);
    });

    test("after the first redeploy, the next ones are looked at when they should be done, not ramped up to", async () => {
        const { ecs, provider } = setup();
        const ids = ["i-1", "i-2", "i-3", "i-4"];
        for (const id of ids) {
            ecs.add({ instanceId: id, status: "Running" }, [{}]);
        }
        const { outs } = await provider.create(inputs({ instanceIds: ids }));
        expect(outs.redeployedInstanceIds).toEqual(ids);
        const looks = ["t-1", "t-2", "t-3", "t-4"].map(
            (t) =>
                ecs.calls.filter(
                    (c) => c.op === "describeTasks" && (c.args as string[]).includes(t),
                ).length,
        );
        // The first is found ending by the start-up ramp; the others at once after it ends.
        expect(looks[0]).toBeGreaterThan(3);
        expect(looks.slice(1)).toEqual([2, 2, 2]);
    });

    test("a local-disk instance without allowLocalDiskDataLoss is refused and untouched; the others complete; the next up redoes only it", async () => {
        const { ecs, provider } = setup();
        ecs.add(
            {
                instanceId: "i-a",
                status: "Running",
                disks: [
                    { diskId: "d-sys", category: "cloud_essd", type: "system" },
                    { diskId: "d-local1", category: "local_ssd_pro", type: "data" },
                ],
            },
            [{ eventId: "e-a" }],
        );
        ecs.add({ instanceId: "i-b", status: "Running" }, [{ eventId: "e-b" }]);
        const err = await rejection(provider.create(inputs()));
        expect(err.message).toContain("1 of 2 instances not redeployed");
        expect(err.message).toContain(
            "i-a: it has local disks d-local1 (local_ssd_pro): a redeploy re-initializes local disks and ERASES their data",
        );
        expect(err.message).toContain("allowLocalDiskDataLoss: true");
        expect(ecs.redeployedIds()).toEqual(["i-b"]);
        const olds = err.properties;
        expect(olds.status).toBe("Failed");
        expect(olds.failedInstanceIds).toEqual(["i-a"]);
        expect(olds.redeployedInstanceIds).toEqual(["i-b"]);
        expect(olds.__provider).toBe("serialized");

        // The next preview still shows work (i-a's event is open), and the next up does only i-a.
        const fixed = inputs({ allowLocalDiskDataLoss: true });
        expect((await provider.diff(err.id, olds, fixed)).changes).toBe(true);
        const { outs } = await provider.update(err.id, olds, fixed);
        expect(ecs.redeployedIds()).toEqual(["i-b", "i-a"]);
        expect(outs.status).toBe("Succeeded");
        expect(byId(outs)["i-b"]!.outcome).toBe("skipped");
    });

    test("dedicated-host and security-locked instances fail with their reason while the others complete", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running", dedicatedHostId: "dh-1" }, [{}]);
        ecs.add({ instanceId: "i-b", status: "Running", lockReasons: ["security"] }, [{}]);
        ecs.add({ instanceId: "i-c", status: "Stopped" }, [{}]);
        const err = await rejection(
            provider.create(inputs({ instanceIds: ["i-a", "i-b", "i-c"], maxConcurrent: 3 })),
        );
        expect(ecs.redeployedIds()).toEqual(["i-c"]);
        expect(err.message).toContain(
            "i-a: InvalidOperation.RedeployInstance: it runs on dedicated host dh-1",
        );
        expect(err.message).toContain("i-b: InstanceLockedForSecurity: it is locked for security");
        const r = byId(err.properties);
        expect(r["i-c"]).toMatchObject({ outcome: "redeployed", statusAfter: "Running" });
    });

    test("a redeploy task that fails reports the cloud's code and message", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.taskFailures.set("i-a", { code: "InternalError", message: "migration failed" });
        const err = await rejection(provider.create(inputs({ instanceIds: ["i-a"] })));
        expect(err.message).toContain(
            "i-a: InternalError: redeploy t-1 Failed (InternalError: migration failed)",
        );
        expect(byId(err.properties)["i-a"]).toMatchObject({
            outcome: "failed",
            taskId: "t-1",
            taskStatus: "Failed",
            statusAfter: "Running",
        });
    });

    test("a refusal of RedeployInstance itself is reported with its code; nothing is retried in a loop", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.redeployErrors.set("i-a", ecsError("InstanceExpiredOrInArrears"));
        const err = await rejection(provider.create(inputs({ instanceIds: ["i-a"] })));
        expect(err.message).toContain("i-a: InstanceExpiredOrInArrears");
        expect(ecs.count("redeployInstance")).toBe(1);
    });

    test("a refusal with a code ECS does not document: the instance's tasks decide", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.add({ instanceId: "i-b", status: "Running" }, [{}]);
        // i-a: the call took effect and still answered an unknown code; i-b: it did not.
        ecs.answerAfterStart.set("i-a", ecsError("SandboxUnknown.Busy"));
        ecs.redeployErrors.set("i-b", ecsError("SandboxUnknown.Busy"));
        const err = await rejection(provider.create(inputs({ instanceIds: ["i-a", "i-b"] })));
        expect(byId(err.properties)["i-a"]).toMatchObject({ outcome: "redeployed", taskId: "t-1" });
        expect(lines.join("\n")).toContain(
            "i-a: RedeployInstance answered SandboxUnknown.Busy, a refusal ECS does not document, " +
                "but redeploy t-1 of it is Processing: waiting for it",
        );
        expect(err.message).toContain("i-b: SandboxUnknown.Busy");
        expect(ecs.redeployedIds().filter((id) => id === "i-b")).toHaveLength(1);
        // Its tasks were looked at before the refusal was believed.
        expect(ecs.count("describeRedeployTasks")).toBeGreaterThanOrEqual(2);
    });

    test("an unknown instance fails with InvalidInstanceId.NotFound", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" });
        const err = await rejection(provider.create(inputs({ instanceIds: ["i-a", "i-gone"] })));
        expect(err.message).toContain(
            "i-gone: InvalidInstanceId.NotFound: ECS has no instance i-gone in region cn-hangzhou",
        );
    });

    test("after a killed up: a redeploy still running is waited on, one already finished is not repeated", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{ eventId: "e-a" }]);
        ecs.add({ instanceId: "i-b", status: "Running" }, [{ eventId: "e-b" }]);
        // The killed deployment had started both; i-b's finished, but ECS has not closed its event.
        const running = ecs.startTask("i-a");
        ecs.startTask("i-b");
        ecs.tasks[1]!.endsAt = 0;
        ecs.eventsStayOpen.add("i-b");
        const { outs } = await provider.create(inputs());
        expect(ecs.count("redeployInstance")).toBe(0);
        const r = byId(outs);
        expect(r["i-a"]).toMatchObject({ outcome: "redeployed", taskId: running });
        expect(r["i-b"]!.outcome).toBe("skipped");
        expect(r["i-b"]!.reason).toContain("already handled by redeploy t-2");
        expect(lines.join("\n")).toContain(`i-a: redeploy ${running} is already under way`);
    });

    test("a redeploy someone else starts while this one waits its turn is waited on, not started again", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.add({ instanceId: "i-b", status: "Running" }, [{}]);
        // While i-a is being redeployed, another actor (say, the provider process of a killed
        // deployment) starts i-b's redeploy.
        const describeTasks = ecs.describeTasks.bind(ecs);
        let other: string | undefined;
        ecs.describeTasks = (ids) => {
            if (!other) {
                other = ecs.startTask("i-b");
                ecs.tasks.find((t) => t.taskId === other)!.endsAt += 10 * 60_000;
            }
            return describeTasks(ids);
        };
        const { outs } = await provider.create(inputs({ maxConcurrent: 1 }));
        expect(ecs.redeployedIds()).toEqual(["i-a"]);
        expect(byId(outs)["i-b"]).toMatchObject({ outcome: "redeployed", taskId: other });
        expect(lines.join("\n")).toContain(`i-b: redeploy ${other} is already under way`);
    });

    test("an unanswered RedeployInstance that did start is found and waited on, not repeated", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.loseRedeployAnswer = true;
        const { outs } = await provider.create(inputs({ instanceIds: ["i-a"] }));
        expect(ecs.count("redeployInstance")).toBe(1);
        expect(byId(outs)["i-a"]).toMatchObject({ outcome: "redeployed", taskId: "t-1" });
    });

    test("a transitional status is waited out before RedeployInstance", async () => {
        const { ecs, clock, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Starting" }, [{}]);
        const startedAt = clock.now();
        const original = ecs.describeInstances.bind(ecs);
        ecs.describeInstances = async (ids) => {
            if (clock.now() - startedAt > 20_000) {
                ecs.instances.get("i-a")!.status = "Running";
            }
            return original(ids);
        };
        const { outs } = await provider.create(inputs({ instanceIds: ["i-a"] }));
        expect(byId(outs)["i-a"]!.outcome).toBe("redeployed");
        expect(ecs.count("redeployInstance")).toBe(1);
    });

    test("timeout: a redeploy still running is recorded; the next up waits on it without starting another", async () => {
        const { ecs, provider } = setup();
        ecs.redeployMs = 10 * 60_000;
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        const err = await rejection(
            provider.create(inputs({ instanceIds: ["i-a"], timeoutMinutes: 2 })),
        );
        expect(err.properties.status).toBe("TimedOut");
        expect(byId(err.properties)["i-a"]).toMatchObject({
            outcome: "inProgress",
            taskId: "t-1",
            taskStatus: "Processing",
        });
        expect(err.message).toContain("waits on any redeploy still running");
        const news = inputs({ instanceIds: ["i-a"], timeoutMinutes: 30 });
        expect((await provider.diff(err.id, err.properties, news)).changes).toBe(true);
        const { outs } = await provider.update(err.id, err.properties, news);
        expect(ecs.count("redeployInstance")).toBe(1);
        expect(byId(outs)["i-a"]).toMatchObject({ outcome: "redeployed", taskId: "t-1" });
    });

    test("when always: every instance on create, none again for the same triggers, all again on a change", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" });
        ecs.add({ instanceId: "i-b", status: "Stopped" });
        const v1 = inputs({ when: "always", triggers: { release: "1" }, forceStop: true });
        const { outs } = await provider.create(v1);
        expect(ecs.redeployedIds()).toEqual(["i-a", "i-b"]);
        expect(ecs.calls.find((c) => c.op === "redeployInstance")?.args).toEqual({
            instanceId: "i-a",
            forceStop: true,
        });
        const more = inputs({
            when: "always",
            triggers: { release: "1" },
            instanceIds: ["i-a", "i-b", "i-c"],
        });
        ecs.add({ instanceId: "i-c", status: "Running" });
        const second = await provider.update("id", outs, more);
        expect(ecs.redeployedIds()).toEqual(["i-a", "i-b", "i-c"]);
        expect(byId(second.outs)["i-a"]!.outcome).toBe("skipped");
        await provider.update(
            "id",
            second.outs,
            inputs({
                when: "always",
                triggers: { release: "2" },
                instanceIds: ["i-a", "i-b", "i-c"],
            }),
        );
        expect(ecs.redeployedIds()).toHaveLength(6);
    });

    test("when always: an instance redeployed two runs ago is still not redeployed again", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" });
        ecs.add({ instanceId: "i-b", status: "Running" });
        const v1 = inputs({ when: "always", triggers: { release: "1" } });
        const first = await provider.create(v1);
        const second = await provider.update("id", first.outs, v1);
        const third = await provider.update("id", second.outs, v1);
        expect(ecs.redeployedIds()).toEqual(["i-a", "i-b"]);
        expect(byId(third.outs)["i-a"]).toMatchObject({ outcome: "skipped", taskId: "t-1" });
        expect((await provider.diff("id", third.outs, v1)).changes).toBe(false);
    });

    test("systemEvent: an event redeployed for stays handled in later runs, even once ECS forgets the task", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{ eventId: "e-1" }]);
        ecs.eventsStayOpen.add("i-a");
        const v = inputs({ instanceIds: ["i-a"] });
        const first = await provider.create(v);
        expect(byId(first.outs)["i-a"]).toMatchObject({ outcome: "redeployed", eventIds: ["e-1"] });
        const second = await provider.update("id", first.outs, v);
        expect(byId(second.outs)["i-a"]).toMatchObject({ outcome: "skipped", taskId: "t-1" });
        // ECS keeps task history for a while only.
        ecs.tasks.length = 0;
        const third = await provider.update("id", second.outs, v);
        expect(byId(third.outs)["i-a"]).toMatchObject({ outcome: "skipped", eventIds: ["e-1"] });
        expect(ecs.redeployedIds()).toEqual(["i-a"]);
    });

    test("a started redeploy that cannot be followed is recorded in progress with its task; the next up adopts it", async () => {
        const { ecs, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        const describeTasks = ecs.describeTasks.bind(ecs);
        ecs.describeTasks = () => Promise.reject(ecsError("Forbidden.RAM"));
        const v = inputs({ instanceIds: ["i-a"] });
        const err = await rejection(provider.create(v));
        expect(err.properties.status).toBe("Failed");
        expect(byId(err.properties)["i-a"]).toMatchObject({
            outcome: "inProgress",
            taskId: "t-1",
            errorCode: "Forbidden.RAM",
        });
        expect(err.message).toContain(
            "i-a: Forbidden.RAM: redeploy t-1 was started, but following it failed",
        );
        ecs.describeTasks = describeTasks;
        const { outs } = await provider.update(err.id, err.properties, v);
        expect(ecs.count("redeployInstance")).toBe(1);
        expect(byId(outs)["i-a"]).toMatchObject({ outcome: "redeployed", taskId: "t-1" });
    });

    test("no RedeployInstance once timeoutMinutes has passed, even after the preconditions were read", async () => {
        const { ecs, clock, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        const describeDisks = ecs.describeDisks.bind(ecs);
        ecs.describeDisks = (id) => {
            clock.advance(3 * 60_000);
            return describeDisks(id);
        };
        const err = await rejection(
            provider.create(inputs({ instanceIds: ["i-a"], timeoutMinutes: 2 })),
        );
        expect(ecs.count("redeployInstance")).toBe(0);
        expect(byId(err.properties)["i-a"]!.outcome).toBe("notStarted");
        expect(err.properties.status).toBe("TimedOut");
    });

    test.each([
        "The instance cannot be redeployed for simulated system events (e-1).",
        // ECS's page gives the message as "%s": recognised by the code, whatever the words.
        "The operation is invalid.",
    ])(
        "RedeployInstance refusing the instance (InvalidOperation.RedeployInstance: %s) skips it with ECS's words",
        async (message) => {
            const { ecs, provider } = setup();
            ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
            ecs.redeployErrors.set(
                "i-a",
                new CloudError({
                    service: "ECS",
                    operation: "RedeployInstance",
                    code: "InvalidOperation.RedeployInstance",
                    cloudMessage: message,
                    httpStatus: 403,
                    transient: false,
                }),
            );
            const { outs } = await provider.create(inputs({ instanceIds: ["i-a"] }));
            expect(outs.status).toBe("Succeeded");
            expect(byId(outs)["i-a"]!.outcome).toBe("skipped");
            expect(byId(outs)["i-a"]!.reason).toContain(
                `ECS refuses to redeploy it (InvalidOperation.RedeployInstance: ${message})`,
            );
            expect(byId(outs)["i-a"]!.reason).toContain("CreateSimulatedSystemEvents");
            expect(ecs.count("redeployInstance")).toBe(1);
        },
    );

    test("an unanswered RedeployInstance that started nothing is tried again, a bounded number of times", async () => {
        const { ecs, lines, provider } = setup();
        ecs.add({ instanceId: "i-a", status: "Running" }, [{}]);
        ecs.add({ instanceId: "i-b", status: "Running" }, [{}]);
        const redeploy = ecs.redeployInstance.bind(ecs);
        let failures = 1;
        ecs.redeployInstance = (id, force) => {
            if (id === "i-a" && failures-- > 0) {
                ecs.calls.push({
                    op: "redeployInstance",
                    args: { instanceId: id, forceStop: force },
                });
                return Promise.reject(ecsError("Throttling.User", true, 400));
            }
            return redeploy(id, force);
        };
        ecs.redeployErrors.set("i-b", ecsError("ServiceUnavailable", true, 503));
        const err = await rejection(provider.create(inputs()));
        expect(byId(err.properties)["i-a"]).toMatchObject({ outcome: "redeployed", taskId: "t-1" });
        expect(lines.join("\n")).toContain(
            "i-a: RedeployInstance answered Throttling.User and no redeploy of it started: looking again",
        );
        expect(byId(err.properties)["i-b"]).toMatchObject({
            outcome: "failed",
            errorCode: "ServiceUnavailable",
        });
        expect(ecs.redeployedIds().filter((id) => id === "i-b")).toHaveLength(5);
    });

    test("delete makes no call", async () => {
        const { ecs, provider } = setup();
        await provider.delete();
        expect(ecs.calls).toEqual([]);
    });
});
