/**
 * The ESS client's lifecycle operations (DescribeLifecycleHooks, DescribeScalingActivities,
 * DescribeLifecycleActions, RecordLifecycleActionHeartbeat) over real HTTP against the simulator
 * on 127.0.0.1, on the simulator's virtual clock.
 */
import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createEssClient, type EssClient } from "../../src/clouds/alicloud/ess";
import {
    ESS_HEARTBEAT_LIMIT_CODES,
    ESS_INVALID_PARAMETER_CODES,
    ESS_LIFECYCLE_ACTION_NOT_PENDING_CODES,
} from "../../src/clouds/alicloud/essErrors";
import { ManualClock } from "../../src/sandbox/clock";
import {
    type EssGroupSeed,
    type EssScenario,
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
    type SimLifecycleAction,
} from "../../src/sandbox/ess";

const REGION = "cn-hangzhou";
const HOOK = "ash-bootstrap";

let sim: EssSimulator | undefined;

beforeAll(() => {
    // The default credential chain reads these; the metadata service is disabled in test/setup-env.js.
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SANDBOX_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SANDBOX_ACCESS_KEY_SECRET;
});
afterEach(async () => {
    await sim?.close();
    sim = undefined;
});

/** A simulator on a ManualClock (any skew accepted) and a client factory. */
async function boot(groups: EssGroupSeed[], scenario: EssScenario = {}) {
    const clock = new ManualClock(Date.UTC(2025, 4, 16, 6, 27, 0));
    const s = new EssSimulator({ groups, scenario, clock, signatureWindowMinutes: Infinity });
    sim = s;
    const { endpoint } = await s.listen();
    const retryClock = new VirtualClock();
    const client = (extra: { signatureAlgorithm?: "v2" } = {}): EssClient =>
        createEssClient({
            regionId: REGION,
            endpoint: parseEndpoint(endpoint),
            clock: retryClock,
            ...extra,
        });
    const t0 = clock.now();
    /** Moves the simulator clock to t0 + seconds. */
    const to = (seconds: number): void => clock.set(t0 + seconds * 1000);
    return { sim: s, clock, endpoint, client, retryClock, t0, to };
}

/** A group of 4 instances with these lifecycle hooks. */
function group(id: string, hooks: NonNullable<EssGroupSeed["lifecycleHooks"]> = []): EssGroupSeed {
    return { scalingGroupId: id, capacity: 4, lifecycleHooks: hooks };
}

const bootstrapHook = {
    lifecycleHookId: HOOK,
    lifecycleHookName: "wait-for-bootstrap",
    lifecycleTransition: "SCALE_OUT" as const,
    defaultResult: "ABANDON" as const,
    heartbeatTimeout: 120,
};

/** Starts a refresh of `groupId` with the client (batches of 2 at 50/100 on 4 instances). */
async function startRefresh(client: EssClient, groupId: string): Promise<string> {
    return client.startInstanceRefresh({
        scalingGroupId: groupId,
        desiredConfiguration: { imageId: "m-new" },
        minHealthyPercentage: 50,
        maxHealthyPercentage: 100,
    });
}

async function failure(p: Promise<unknown>): Promise<CloudError> {
    const e = await p.then(
        () => undefined,
        (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CloudError);
    return e as CloudError;
}

test("describeLifecycleHooks reads every page of a group's hooks, and filters by ids and name", async () => {
    const w = await boot([group("asg-many"), group("asg-other", [bootstrapHook])]);
    for (let i = 0; i < 55; i++) {
        w.sim.addLifecycleHook({
            scalingGroupId: "asg-many",
            lifecycleHookId: `ash-${String(i).padStart(2, "0")}`,
            lifecycleHookName: `hook-${i}`,
            defaultResult: i % 2 ? "CONTINUE" : "ROLLBACK",
            heartbeatTimeout: 30 + i,
            notificationMetadata: `n${i}`,
        });
    }
    const hooks = await w.client().describeLifecycleHooks("asg-many");
    expect(hooks).toHaveLength(55);
    expect(hooks[54]).toEqual({
        lifecycleHookId: "ash-54",
        lifecycleHookName: "hook-54",
        scalingGroupId: "asg-many",
        lifecycleTransition: "SCALE_OUT",
        defaultResult: "ROLLBACK",
        heartbeatTimeoutSeconds: 84,
        lifecycleHookStatus: "Active",
        notificationArn: `acs:ess:${REGION}:0:null/null`,
        notificationMetadata: "n54",
    });
    const pages = w.sim.callsTo("DescribeLifecycleHooks").map((c) => c.params);
    expect(pages).toEqual([
        { RegionId: REGION, ScalingGroupId: "asg-many", PageNumber: "1", PageSize: "50" },
        { RegionId: REGION, ScalingGroupId: "asg-many", PageNumber: "2", PageSize: "50" },
    ]);

    const byIds = await w
        .client()
        .describeLifecycleHooks("asg-many", { ids: ["ash-03", "ash-07"] });
    expect(byIds.map((h) => h.lifecycleHookId)).toEqual(["ash-03", "ash-07"]);
    expect(w.sim.callsTo("DescribeLifecycleHooks")[2]?.params).toMatchObject({
        "LifecycleHookIds.1": "ash-03",
        "LifecycleHookIds.2": "ash-07",
    });
    const byName = await w.client().describeLifecycleHooks("asg-many", { name: "hook-9" });
    expect(byName.map((h) => h.lifecycleHookId)).toEqual(["ash-09"]);
    expect(await w.client().describeLifecycleHooks("asg-many", { name: "nope" })).toEqual([]);

    const err = await failure(w.client().describeLifecycleHooks("asg-nope"));
    expect(err).toMatchObject({ code: "InvalidScalingGroupId.NotFound", httpStatus: 404 });
});

test("describeScalingActivities and describeLifecycleActions follow a refresh's batches", async () => {
    const w = await boot([group("asg-a", [bootstrapHook])], {
        pendingSeconds: 0,
        batchSeconds: 10,
        bootstrapSeconds: 60,
    });
    const client = w.client();
    const taskId = await startRefresh(client, "asg-a");
    const [first, ...none] = await client.describeScalingActivities({
        scalingGroupId: "asg-a",
        instanceRefreshTaskId: taskId,
    });
    expect(none).toEqual([]);
    expect(w.sim.callsTo("DescribeScalingActivities")[0]?.params).toEqual({
        RegionId: REGION,
        ScalingGroupId: "asg-a",
        InstanceRefreshTaskId: taskId,
        PageNumber: "1",
        PageSize: "50",
    });
    expect(first).toMatchObject({
        scalingActivityId: expect.stringMatching(/^asa-/),
        scalingGroupId: "asg-a",
        statusCode: "InProgress",
        progress: 0,
        totalCapacity: 4,
        destroyedInstanceIds: [],
    });
    expect(first?.statusMessage).toContain(HOOK);
    expect(first?.createdInstanceIds).toHaveLength(2);

    const actions = await client.describeLifecycleActions(first!.scalingActivityId, "Pending");
    expect(actions).toEqual([
        {
            lifecycleHookId: HOOK,
            lifecycleActionToken: expect.stringMatching(/^[0-9A-F-]{36}$/),
            lifecycleActionStatus: "Pending",
            lifecycleActionResult: "ABANDON",
            instanceIds: first!.createdInstanceIds,
        },
    ]);
    expect(w.sim.callsTo("DescribeLifecycleActions")[0]?.params).toEqual({
        RegionId: REGION,
        ScalingActivityId: first!.scalingActivityId,
        LifecycleActionStatus: "Pending",
        MaxResults: "50",
    });

    // Bootstrap at 60 s completes the action; the batch is done 10 s later; batch 2: 70 -> 130 -> 140.
    w.to(60);
    expect(await client.describeLifecycleActions(first!.scalingActivityId, "Pending")).toEqual([]);
    const [done] = await client.describeLifecycleActions(first!.scalingActivityId);
    expect(done).toMatchObject({
        lifecycleActionStatus: "Completed",
        lifecycleActionResult: "CONTINUE",
    });
    w.to(140);
    const all = await client.describeScalingActivities({
        scalingGroupId: "asg-a",
        instanceRefreshTaskId: taskId,
    });
    expect(all.map((a) => [a.statusCode, a.progress])).toEqual([
        ["Successful", 100],
        ["Successful", 100],
    ]);
    const { tasks } = await client.describeInstanceRefreshes({ scalingGroupId: "asg-a" });
    expect(tasks[0]).toMatchObject({ status: "Successful", finishedUpdateCapacity: 4 });
});

test("describeLifecycleActions follows NextToken across pages", async () => {
    const hooks = Array.from({ length: 51 }, (_, i) => ({
        lifecycleHookId: `ash-${String(i).padStart(2, "0")}`,
        lifecycleHookName: `h${i}`,
    }));
    const w = await boot([group("asg-wide", hooks)], { pendingSeconds: 0 });
    const client = w.client();
    await startRefresh(client, "asg-wide");
    const [activity] = await client.describeScalingActivities({ scalingGroupId: "asg-wide" });
    const actions = await client.describeLifecycleActions(activity!.scalingActivityId);
    expect(actions).toHaveLength(51);
    expect(new Set(actions.map((a) => a.lifecycleActionToken)).size).toBe(51);
    const calls = w.sim.callsTo("DescribeLifecycleActions");
    expect(calls).toHaveLength(2);
    expect(calls[0]?.params["NextToken"]).toBeUndefined();
    expect(typeof calls[1]?.params["NextToken"]).toBe("string");
});

test("heartbeats keep an action alive past its hook's timeout; the call log shows their count and spacing", async () => {
    // Bootstrap takes 550 s; the hook gives 120 s and abandons: without heartbeats the refresh fails.
    const w = await boot([group("asg-slow", [bootstrapHook])], {
        pendingSeconds: 0,
        batchSeconds: 10,
        bootstrapSecondsByBatch: [550, 5],
    });
    const client = w.client();
    const taskId = await startRefresh(client, "asg-slow");
    let beats = 0;
    for (let s = 100; s < 600; s += 100) {
        w.to(s);
        const [activity] = await client.describeScalingActivities({
            scalingGroupId: "asg-slow",
            instanceRefreshTaskId: taskId,
        });
        const pending = await client.describeLifecycleActions(
            activity!.scalingActivityId,
            "Pending",
        );
        for (const a of pending) {
            await client.recordLifecycleActionHeartbeat(
                a.lifecycleHookId,
                a.lifecycleActionToken,
                120,
            );
            beats++;
        }
    }
    expect(beats).toBe(5);
    const calls = w.sim.callsTo("RecordLifecycleActionHeartbeat");
    expect(calls.map((c) => c.httpStatus)).toEqual([200, 200, 200, 200, 200]);
    expect(calls.map((c) => (c.receivedAt - w.t0) / 1000)).toEqual([100, 200, 300, 400, 500]);
    w.to(550);
    const [action] = w.sim.lifecycleActions({ instanceRefreshTaskId: taskId });
    expect(calls[0]?.params).toEqual({
        RegionId: REGION,
        lifecycleHookId: HOOK,
        lifecycleActionToken: action!.LifecycleActionToken,
        heartbeatTimeout: "120",
    });
    expect(action).toMatchObject({
        LifecycleActionStatus: "Completed",
        LifecycleActionResult: "CONTINUE",
        endedBy: "bootstrap",
        endedAt: w.t0 + 550_000,
    });
    expect(action?.heartbeats.map((h) => (h.deadline - w.t0) / 1000)).toEqual([
        220, 320, 420, 520, 620,
    ]);
    // Batch 2 (5 s bootstrap): 560 -> 565 -> 575.
    w.to(575);
    const { tasks } = await client.describeInstanceRefreshes({ scalingGroupId: "asg-slow" });
    expect(tasks[0]).toMatchObject({ status: "Successful", finishedUpdateCapacity: 4 });
});

test("without heartbeats the hook's ABANDON fails the refresh with a reason naming the hook", async () => {
    const w = await boot([group("asg-slow", [bootstrapHook])], {
        pendingSeconds: 0,
        bootstrapSeconds: 550,
    });
    const client = w.client();
    await startRefresh(client, "asg-slow");
    w.to(120);
    const { tasks } = await client.describeInstanceRefreshes({ scalingGroupId: "asg-slow" });
    expect(tasks[0]).toMatchObject({ status: "Failed", finishedUpdateCapacity: 0 });
    expect(tasks[0]?.detail).toContain('lifecycle hook "wait-for-bootstrap" (ash-bootstrap)');
    expect(tasks[0]?.detail).toContain("default result is ABANDON");
    const [activity] = await client.describeScalingActivities({ scalingGroupId: "asg-slow" });
    expect(activity).toMatchObject({ statusCode: "Failed" });
    expect(activity?.errorMessage).toContain("were released");
    expect(activity?.destroyedInstanceIds).toEqual(activity?.createdInstanceIds);
});

test("refusals are CloudErrors with the vendor's codes, never retried", async () => {
    const w = await boot([group("asg-r", [{ ...bootstrapHook, heartbeatTimeout: 21600 }])], {
        pendingSeconds: 0,
    });
    const client = w.client();
    await startRefresh(client, "asg-r");
    const [action] = w.sim.lifecycleActions({ status: "Pending" });
    const { LifecycleHookId: hookId, LifecycleActionToken: token } = action!;
    w.sim.reset();

    const wrong = await failure(client.recordLifecycleActionHeartbeat(hookId, "BAD-TOKEN", 600));
    expect(wrong).toMatchObject({
        code: "LifecycleHookIdAndLifecycleActionToken.Invalid",
        httpStatus: 400,
        transient: false,
        operation: "RecordLifecycleActionHeartbeat",
    });
    expect(ESS_LIFECYCLE_ACTION_NOT_PENDING_CODES).toContain(wrong.code);
    expect(wrong.requestId).toBe(w.sim.calls[0]?.requestId);

    for (const bad of [29, 21601]) {
        const range = await failure(client.recordLifecycleActionHeartbeat(hookId, token, bad));
        expect(range).toMatchObject({ code: "InvalidParamter", httpStatus: 400, transient: false });
        expect(range.cloudMessage).toContain("heartbeatTimeout");
        expect(ESS_INVALID_PARAMETER_CODES).toContain(range.code);
    }

    // 6 hours of Pending at most: 1 h in, a 6 h window is refused; 5 h is fine.
    w.to(3600);
    const time = await failure(client.recordLifecycleActionHeartbeat(hookId, token, 21600));
    expect(time).toMatchObject({ code: "LifecycleAction.TimeExceeded", httpStatus: 400 });
    expect(ESS_HEARTBEAT_LIMIT_CODES).toContain(time.code);
    await client.recordLifecycleActionHeartbeat(hookId, token, 18000);

    // 20 heartbeats per Pending period: this was the first; 19 more, then the 21st is refused.
    for (let i = 0; i < 19; i++) {
        await client.recordLifecycleActionHeartbeat(hookId, token, 600);
    }
    const times = await failure(client.recordLifecycleActionHeartbeat(hookId, token, 600));
    expect(times).toMatchObject({ code: "LifecycleAction.RecordTimesExceeded", httpStatus: 400 });
    expect(ESS_HEARTBEAT_LIMIT_CODES).toContain(times.code);

    // One request per call: nothing was retried.
    expect(w.sim.calls.map((c) => c.errorCode ?? c.httpStatus)).toEqual([
        "LifecycleHookIdAndLifecycleActionToken.Invalid",
        "InvalidParamter",
        "InvalidParamter",
        "LifecycleAction.TimeExceeded",
        ...Array<number>(20).fill(200),
        "LifecycleAction.RecordTimesExceeded",
    ]);
    expect(w.retryClock.sleeps).toEqual([]);
    expect(w.sim.lifecycleActions()[0]?.heartbeats).toHaveLength(20);
});

test("throttled heartbeats are retried and counted once; V2 signatures carry the lower-camel names", async () => {
    const w = await boot([group("asg-t", [bootstrapHook])], { pendingSeconds: 0 });
    await startRefresh(w.client(), "asg-t");
    const [action] = w.sim.lifecycleActions({ status: "Pending" });
    w.sim.reset();
    w.sim.setFaults({ throttleNext: 2, actions: ["RecordLifecycleActionHeartbeat"] });
    const v2 = w.client({ signatureAlgorithm: "v2" });
    await v2.recordLifecycleActionHeartbeat(HOOK, action!.LifecycleActionToken, 300);
    expect(w.sim.calls.map((c) => c.errorCode ?? c.httpStatus)).toEqual([
        "Throttling.User",
        "Throttling.User",
        200,
    ]);
    expect(w.sim.calls[2]).toMatchObject({
        signatureVersion: "v2",
        params: expect.objectContaining({
            lifecycleHookId: HOOK,
            lifecycleActionToken: action!.LifecycleActionToken,
            heartbeatTimeout: "300",
        }),
    });
    expect(w.retryClock.sleeps).toHaveLength(2);
    const [after] = w.sim.lifecycleActions();
    expect(after?.heartbeats).toEqual([
        { at: w.t0, heartbeatTimeout: 300, deadline: w.t0 + 300_000 },
    ]);
});

test("the /_sandbox/ admin API seeds hooks, sets the bootstrap and reads actions with their heartbeats", async () => {
    const w = await boot([], { pendingSeconds: 0 });
    const post = (path: string, json: unknown) =>
        fetch(`${w.endpoint}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(json) });
    const get = async <T>(path: string): Promise<T> =>
        (await (await fetch(`${w.endpoint}/_sandbox/${path}`)).json()) as T;

    const created = await post("groups", {
        scalingGroupId: "asg-admin",
        capacity: 4,
        lifecycleHooks: [{ lifecycleHookId: "ash-seeded", defaultResult: "CONTINUE" }],
    });
    expect(created.status).toBe(201);
    const hook = await post("hooks", {
        scalingGroupId: "asg-admin",
        lifecycleHookName: "second",
        heartbeatTimeout: 300,
        defaultResult: "ABANDON",
    });
    expect(hook.status).toBe(201);
    const second = (await hook.json()) as { LifecycleHookId: string };
    expect(second.LifecycleHookId).toMatch(/^ash-/);
    expect((await post("hooks", { scalingGroupId: "asg-nope" })).status).toBe(404);
    expect(
        (await post("hooks", { scalingGroupId: "asg-admin", heartbeatTimeout: 10 })).status,
    ).toBe(400);
    expect((await post("hooks", { scalingGroupId: "asg-admin", defaultResult: "NO" })).status).toBe(
        400,
    );
    expect(
        (await get<{ LifecycleHookId: string }[]>("hooks?scalingGroupId=asg-admin")).map(
            (h) => h.LifecycleHookId,
        ),
    ).toEqual(["ash-seeded", second.LifecycleHookId]);
    const described = await w.client().describeLifecycleHooks("asg-admin");
    expect(described.map((h) => [h.lifecycleHookId, h.heartbeatTimeoutSeconds])).toEqual([
        ["ash-seeded", 600],
        [second.LifecycleHookId, 300],
    ]);

    expect(
        (await post("scenario", { scalingGroupId: "asg-admin", bootstrapSeconds: 400 })).status,
    ).toBe(200);
    expect(
        (await post("scenario", { scalingGroupId: "asg-admin", bootstrapSecondsByBatch: ["x"] }))
            .status,
    ).toBe(400);
    const taskId = await startRefresh(w.client(), "asg-admin");
    w.to(200);
    const pending = await w
        .client()
        .describeLifecycleActions(
            (await w.client().describeScalingActivities({ scalingGroupId: "asg-admin" }))[0]!
                .scalingActivityId,
            "Pending",
        );
    expect(pending).toHaveLength(2);
    for (const a of pending) {
        await w
            .client()
            .recordLifecycleActionHeartbeat(a.lifecycleHookId, a.lifecycleActionToken, 600);
    }
    const actions = await get<SimLifecycleAction[]>(
        `lifecycle-actions?instanceRefreshTaskId=${taskId}`,
    );
    expect(
        actions.map((a) => [a.LifecycleHookId, a.LifecycleActionStatus, a.heartbeats.length]),
    ).toEqual([
        ["ash-seeded", "Pending", 1],
        [second.LifecycleHookId, "Pending", 1],
    ]);
    expect(actions[0]).toMatchObject({
        pendingSince: w.t0,
        bootstrapAt: w.t0 + 400_000,
        deadline: w.t0 + 800_000,
        heartbeats: [{ at: w.t0 + 200_000, heartbeatTimeout: 600, deadline: w.t0 + 800_000 }],
        instanceRefreshTaskId: taskId,
        scalingGroupId: "asg-admin",
    });
    expect(await get<unknown[]>("lifecycle-actions?status=Completed")).toEqual([]);
    expect((await fetch(`${w.endpoint}/_sandbox/lifecycle-actions?status=Done`)).status).toBe(400);
    const activities = await get<{ StatusCode: string; instanceRefreshTaskId: string }[]>(
        "activities?scalingGroupId=asg-admin",
    );
    expect(activities).toEqual([
        expect.objectContaining({ StatusCode: "InProgress", instanceRefreshTaskId: taskId }),
    ]);
});
