/**
 * The ECS client of alicloud.InstanceRedeploy (the generated @alicloud/ecs20140526 SDK over HTTP,
 * the @alicloud/credentials default chain) against the ECS simulator on 127.0.0.1: real bytes on
 * the wire, signatures verified, and the simulator's notifications read back with alicloud.events.
 */
import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createEcsClient, EcsApi, isLocalDiskCategory } from "../../src/clouds/alicloud/ecs";
import { parse, redeployRemedies } from "../../src/clouds/alicloud/events";
import { ManualClock } from "../../src/sandbox/clock";
import {
    EcsSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ecs";

const REGION = "cn-hangzhou";
let sim: EcsSimulator;
let clock: ManualClock;
let endpoint: string;

beforeAll(async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SANDBOX_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SANDBOX_ACCESS_KEY_SECRET;
    clock = new ManualClock(Date.UTC(2026, 10, 22, 1, 0, 0));
    sim = new EcsSimulator({
        clock,
        signatureWindowMinutes: Infinity,
        scenario: { stopSeconds: 5, migrateSeconds: 10, startSeconds: 5 },
        instances: [
            { instanceId: "i-run", events: [{ eventType: "SystemMaintenance.Reboot" }] },
            { instanceId: "i-local", localDisks: 2 },
            { instanceId: "i-ddh", dedicatedHostId: "dh-1" },
            { instanceId: "i-lock", securityLocked: true },
            { instanceId: "i-fail", status: "Stopped" },
            ...Array.from({ length: 130 }, (_, n) => ({ instanceId: `i-many-${n}` })),
        ],
    });
    endpoint = (await sim.listen()).endpoint;
});
afterAll(() => sim.close());
beforeEach(() => sim.setFaults({}));

const client = (extra: Partial<Parameters<typeof createEcsClient>[0]> = {}): EcsApi =>
    createEcsClient({
        regionId: REGION,
        endpoint: parseEndpoint(endpoint),
        clock: new VirtualClock(),
        ...extra,
    });

test("DescribeInstances pages past 100 ids and reports status, dedicated host and locks", async () => {
    const ids = [
        "i-run",
        "i-ddh",
        "i-lock",
        ...Array.from({ length: 130 }, (_, n) => `i-many-${n}`),
    ];
    const before = sim.callsTo("DescribeInstances").length;
    const found = await client().describeInstances([...ids, "i-unknown"]);
    expect(found).toHaveLength(133);
    expect(sim.callsTo("DescribeInstances").length - before).toBe(2);
    const by = new Map(found.map((i) => [i.instanceId, i]));
    expect(by.get("i-run")).toMatchObject({ status: "Running", lockReasons: [] });
    expect(by.get("i-run")!.dedicatedHostId).toBeUndefined();
    expect(by.get("i-ddh")!.dedicatedHostId).toBe("dh-1");
    expect(by.get("i-lock")!.lockReasons).toEqual(["security"]);
    expect(by.has("i-unknown")).toBe(false);
});

test("DescribeTasks of more task ids than one call takes (100) asks in pieces and finds them all", async () => {
    const api = client();
    const mine = [await api.redeployInstance("i-many-0", false)];
    mine.push(await api.redeployInstance("i-many-1", false));
    const others = Array.from({ length: 148 }, (_, n) => `t-none-${n}`);
    const before = sim.callsTo("DescribeTasks").length;
    const found = await api.describeTasks([...others.slice(0, 120), ...mine, ...others.slice(120)]);
    expect(found.map((t) => t.taskId).sort()).toEqual([...mine].sort());
    expect(sim.callsTo("DescribeTasks").length - before).toBe(2);
});

test("DescribeDisks tells local disks from cloud disks", async () => {
    const disks = await client().describeDisks("i-local");
    expect(disks.filter((d) => isLocalDiskCategory(d.category))).toHaveLength(2);
    expect(disks.find((d) => d.type === "system")?.category).toBe("cloud_essd");
});

test("DescribeInstanceHistoryEvents: open events by status, flattened ResourceId.N and InstanceEventCycleStatus.N", async () => {
    const events = await client().describeSystemEvents(
        ["i-run", "i-local"],
        ["Scheduled", "Inquiring", "Executing"],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
        instanceId: "i-run",
        eventType: "SystemMaintenance.Reboot",
        status: "Scheduled",
    });
    expect(events[0]!.notBefore).toMatch(/^2026-11-25T01:00:00Z$/);
    const call = sim.callsTo("DescribeInstanceHistoryEvents").at(-1)!;
    expect(call.params).toMatchObject({
        "ResourceId.1": "i-run",
        "ResourceId.2": "i-local",
        "InstanceEventCycleStatus.1": "Scheduled",
        "InstanceEventCycleStatus.3": "Executing",
        ResourceType: "instance",
    });
});

test("RedeployInstance, then DescribeTasks follows the task to Finished and the event is Avoided", async () => {
    const ecs = client();
    const taskId = await ecs.redeployInstance("i-run", false);
    expect(sim.callsTo("RedeployInstance").at(-1)!.params).toMatchObject({
        InstanceId: "i-run",
        ForceStop: "false",
    });
    expect((await ecs.describeTasks([taskId]))[0]).toMatchObject({
        taskId,
        status: "Processing",
        resourceId: "i-run",
        taskAction: "RedeployInstance",
    });
    expect((await ecs.describeRedeployTasks(["i-run", "i-local"])).map((t) => t.taskId)).toEqual([
        taskId,
    ]);
    expect((await ecs.describeInstances(["i-run"]))[0]!.status).toBe("Stopping");
    clock.advance(30_000);
    expect((await ecs.describeTasks([taskId]))[0]!.status).toBe("Finished");
    expect((await ecs.describeInstances(["i-run"]))[0]!.status).toBe("Running");
    expect(
        await ecs.describeSystemEvents(["i-run"], ["Scheduled", "Inquiring", "Executing"]),
    ).toEqual([]);
});

test("a failed redeploy's reason comes from DescribeTaskAttribute", async () => {
    sim.setScenario("i-fail", { failWith: { code: "NoStock", message: "no capacity left" } });
    const ecs = client();
    const taskId = await ecs.redeployInstance("i-fail", true);
    clock.advance(60_000);
    expect((await ecs.describeTasks([taskId]))[0]!.status).toBe("Failed");
    expect(await ecs.describeTaskFailure(taskId)).toEqual({
        code: "NoStock",
        message: "no capacity left",
    });
    expect((await ecs.describeInstances(["i-fail"]))[0]!.status).toBe("Stopped");
});

test.each([
    ["i-ddh", "InvalidOperation.RedeployInstance", 403],
    ["i-lock", "InstanceLockedForSecurity", 403],
    ["i-nope", "InvalidInstanceId.NotFound", 404],
])(
    "RedeployInstance refusals surface as CloudErrors (%s: %s), never retried",
    async (id, code, status) => {
        const before = sim.callsTo("RedeployInstance").length;
        const err = (await client()
            .redeployInstance(id, false)
            .catch((e: unknown) => e)) as CloudError;
        expect(err).toBeInstanceOf(CloudError);
        expect(err.code).toBe(code);
        expect(err.httpStatus).toBe(status);
        expect(err.transient).toBe(false);
        expect(err.message).toContain(`ECS RedeployInstance failed: HTTP ${status} ${code}`);
        expect(sim.callsTo("RedeployInstance").length - before).toBe(1);
    },
);

test("throttling and 5xx are retried; the secret never appears in an error", async () => {
    sim.setFaults({ throttleNext: 2, actions: ["DescribeInstances"] });
    const retries: string[] = [];
    const found = await client({
        onRetry: (op, err) => retries.push(`${op} ${err.code}`),
    }).describeInstances(["i-run"]);
    expect(found).toHaveLength(1);
    expect(retries).toHaveLength(2);
    sim.setFaults({ internalErrorNext: 10, actions: ["DescribeTasks"] });
    const err = (await client({ maxAttempts: 2 })
        .describeTasks(["t-1"])
        .catch((e: unknown) => e)) as CloudError;
    expect(err.transient).toBe(true);
    expect(err.message).not.toContain(SANDBOX_ACCESS_KEY_SECRET);
});

test("RedeployInstance is attempted once even when throttled: the caller looks for its task first", async () => {
    sim.setFaults({ throttleNext: 1, actions: ["RedeployInstance"] });
    const before = sim.callsTo("RedeployInstance").length;
    const err = (await client()
        .redeployInstance("i-run", false)
        .catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.transient).toBe(true);
    expect(sim.callsTo("RedeployInstance").length - before).toBe(1);
});

test("the simulator's notifications parse with alicloud.events, and say what happened", () => {
    const parsed = sim.notifications().map((n) => parse(JSON.stringify(n)));
    expect(parsed.length).toBeGreaterThan(0);
    const avoided = parsed.find(
        (n) => n.kind === "systemEvent" && n.instanceId === "i-run" && n.eventStatus === "Avoided",
    );
    expect(avoided).toBeDefined();
    expect(redeployRemedies(avoided!).remedies).toBe(false);
    const states = parsed
        .filter((n) => n.kind === "stateChange" && n.instanceId === "i-run")
        .map((n) => (n.kind === "stateChange" ? n.state : ""));
    expect(states).toEqual(["Stopping", "Stopped", "Starting", "Running"]);
});
