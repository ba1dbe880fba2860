/**
 * The Auto Scaling client's lifecycle-hook methods (AWS SDK v3 over HTTP, SigV4) against the
 * simulator on 127.0.0.1, on the simulator's virtual clock: hooks, instances in Pending:Wait,
 * heartbeats that keep them there, completions, and what AWS answers once an action is over.
 */
import {
    AutoScalingClient,
    DescribeAutoScalingInstancesCommand,
} from "@aws-sdk/client-auto-scaling";
import { createAutoScalingClient } from "../../src/clouds/aws/autoscaling";
import { CloudError } from "../../src/core/errors";
import { ManualClock } from "../../src/sandbox/clock";
import {
    type AsgLifecycleHookSeed,
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
    type SimLifecycleAction,
} from "../../src/sandbox/autoscaling";

const LT = "lt-0123456789abcdef0";
const HOOK = "launch-hook";
const LAUNCH_HOOK: AsgLifecycleHookSeed = {
    lifecycleHookName: HOOK,
    lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
    heartbeatTimeout: 60,
    defaultResult: "ABANDON",
};
let sim: AutoScalingSimulator;
let endpoint: string;
let clock: ManualClock;
let groups = 0;
const saved = { ...process.env };

beforeAll(() => {
    process.env.AWS_EC2_METADATA_DISABLED = "true";
    process.env.AWS_ACCESS_KEY_ID = SANDBOX_AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = "/dev/null";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
});
afterAll(() => {
    process.env = saved;
});
// A simulator per test, on virtual time that starts at the wall clock and only moves when the
// test says so. Keep a test's advances under 5 minutes: a fresh SDK client that gets an error
// answer whose Date header is 5 minutes or more from its own clock corrects its clock and
// retries the request (clockSkewCorrected), which would blur "not retried".
beforeEach(async () => {
    clock = new ManualClock(Date.now());
    sim = new AutoScalingSimulator({
        clock,
        signatureWindowMinutes: Infinity,
        launchTemplates: [
            { launchTemplateId: LT, launchTemplateName: "web", versions: 2, defaultVersion: 1 },
        ],
        scenario: {
            pendingSeconds: 0,
            batchSeconds: 10,
            bootstrapSeconds: null,
            proceedSeconds: 1,
        },
    });
    endpoint = (await sim.listen()).endpoint;
});
afterEach(async () => {
    await sim.close();
});

const client = (maxAttempts = 3) =>
    createAutoScalingClient({ region: "us-east-1", endpoint, maxAttempts });

/** A new group of two on version 1, with the launching hook (and a terminating one). */
function newGroup(hooks: AsgLifecycleHookSeed[] = [LAUNCH_HOOK]): string {
    const name = `app-${++groups}`;
    sim.addGroup({
        autoScalingGroupName: name,
        capacity: 2,
        launchTemplate: { launchTemplateId: LT, version: "1" },
        lifecycleHooks: hooks,
    });
    return name;
}

/** Starts a refresh to version 2 (batches of one) and runs to its first launch. */
async function refreshToFirstLaunch(
    api: ReturnType<typeof client>,
    group: string,
): Promise<{ refreshId: string; id: string }> {
    const refreshId = await api.startInstanceRefresh({
        autoScalingGroupName: group,
        desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "2" } },
        preferences: { minHealthyPercentage: 50 },
    });
    clock.advance(10_000);
    const waiting = (await api.describeGroupInstances(group))?.filter(
        (i) => i.lifecycleState === "Pending:Wait",
    );
    expect(waiting).toHaveLength(1);
    return { refreshId, id: waiting?.[0]?.instanceId ?? "" };
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
    const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
    );
    if (!(err instanceof CloudError)) {
        throw new Error(`expected a CloudError, got ${String(err)}`);
    }
    return err;
}

test("describeLifecycleHooks returns the group's hooks as plain values, with units", async () => {
    const api = client();
    const group = newGroup([
        LAUNCH_HOOK,
        {
            lifecycleHookName: "drain",
            lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
            defaultResult: "CONTINUE",
            notificationTargetARN: "arn:aws:sqs:us-east-1:123456789012:drain",
            roleARN: "arn:aws:iam::123456789012:role/hooks",
            notificationMetadata: '{"team":"web"}',
        },
    ]);
    expect(await api.describeLifecycleHooks(group)).toEqual([
        {
            autoScalingGroupName: group,
            lifecycleHookName: HOOK,
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            heartbeatTimeoutSeconds: 60,
            globalTimeoutSeconds: 6000,
            defaultResult: "ABANDON",
        },
        {
            autoScalingGroupName: group,
            lifecycleHookName: "drain",
            lifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
            heartbeatTimeoutSeconds: 3600,
            globalTimeoutSeconds: 172800,
            defaultResult: "CONTINUE",
            notificationTargetArn: "arn:aws:sqs:us-east-1:123456789012:drain",
            roleArn: "arn:aws:iam::123456789012:role/hooks",
            notificationMetadata: '{"team":"web"}',
        },
    ]);
    const named = await api.describeLifecycleHooks(group, ["drain", "absent"]);
    expect(named.map((h) => h.lifecycleHookName)).toEqual(["drain"]);
    expect(sim.callsTo("DescribeLifecycleHooks")[1]?.params).toEqual({
        AutoScalingGroupName: group,
        "LifecycleHookNames.member.1": "drain",
        "LifecycleHookNames.member.2": "absent",
    });

    const err = await failure(api.describeLifecycleHooks("no-such-group"));
    expect(err).toMatchObject({ code: "ValidationError", httpStatus: 400, transient: false });
    expect(err.cloudMessage).toContain("no-such-group");
});

test("describeGroupInstances finds the instances a refresh holds in Pending:Wait", async () => {
    const api = client();
    const group = newGroup();
    expect((await api.describeGroupInstances(group))?.map((i) => i.lifecycleState)).toEqual([
        "InService",
        "InService",
    ]);
    const { id } = await refreshToFirstLaunch(api, group);
    const instances = await api.describeGroupInstances(group);
    expect(instances).toEqual([
        {
            instanceId: id,
            lifecycleState: "Pending:Wait",
            healthStatus: "Healthy",
            availabilityZone: "us-east-1a",
            instanceType: "t3.micro",
            launchTemplate: { launchTemplateId: LT, launchTemplateName: "web", version: "2" },
            protectedFromScaleIn: false,
        },
        expect.objectContaining({
            lifecycleState: "InService",
            launchTemplate: expect.objectContaining({ version: "1" }),
        }),
    ]);
    expect(await api.describeGroupInstances("no-such-group")).toBeUndefined();

    // DescribeAutoScalingInstances reports the same state (the SDK's own shape, on the wire)
    const raw = new AutoScalingClient({ endpoint, region: "us-east-1", maxAttempts: 1 });
    const out = await raw.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }));
    expect(out.AutoScalingInstances).toEqual([
        expect.objectContaining({
            InstanceId: id,
            AutoScalingGroupName: group,
            LifecycleState: "Pending:Wait",
            HealthStatus: "HEALTHY",
        }),
    ]);
    raw.destroy();
});

test("heartbeats by instance id keep the action alive, each recorded with its time; completion lets the refresh go on", async () => {
    const api = client();
    const group = newGroup();
    const { refreshId, id } = await refreshToFirstLaunch(api, group);
    for (let i = 0; i < 3; i++) {
        clock.advance(40_000);
        await api.recordLifecycleActionHeartbeat({
            groupName: group,
            hookName: HOOK,
            instanceId: id,
        });
    }
    // 130 s after the launch, well past one HeartbeatTimeout of 60 s: still waiting
    expect((await api.describeGroupInstances(group))?.[0]?.lifecycleState).toBe("Pending:Wait");
    const calls = sim.callsTo("RecordLifecycleActionHeartbeat");
    expect(calls.map((c) => c.params)).toEqual(
        Array.from({ length: 3 }, () => ({
            AutoScalingGroupName: group,
            LifecycleHookName: HOOK,
            InstanceId: id,
        })),
    );
    expect(calls.map((c) => c.httpStatus)).toEqual([200, 200, 200]);
    const spacing = calls.slice(1).map((c, i) => c.receivedAt - (calls[i]?.receivedAt ?? 0));
    expect(spacing).toEqual([40_000, 40_000]);
    const [action] = sim.lifecycleActions({ autoScalingGroupName: group });
    expect(action?.heartbeats.map((h) => h.at)).toEqual(calls.map((c) => c.receivedAt));
    expect(action?.heartbeats.every((h) => h.by === "InstanceId")).toBe(true);

    await api.completeLifecycleAction({
        groupName: group,
        hookName: HOOK,
        instanceId: id,
        result: "CONTINUE",
    });
    expect(sim.callsTo("CompleteLifecycleAction")[0]?.params).toEqual({
        AutoScalingGroupName: group,
        LifecycleHookName: HOOK,
        InstanceId: id,
        LifecycleActionResult: "CONTINUE",
    });
    expect((await api.describeGroupInstances(group))?.[0]?.lifecycleState).toBe("Pending:Proceed");
    clock.advance(1_000);
    expect((await api.describeGroupInstances(group))?.[0]?.lifecycleState).toBe("InService");
    const [refresh] = await api.describeInstanceRefreshes({
        autoScalingGroupName: group,
        instanceRefreshIds: [refreshId],
    });
    expect(refresh).toMatchObject({ status: "InProgress", percentageComplete: 50 });
});

test("a heartbeat after the action timed out is a ValidationError, not retried; the refresh failed with a reason", async () => {
    const api = client();
    const group = newGroup();
    const { refreshId, id } = await refreshToFirstLaunch(api, group);
    const token = sim.lifecycleActions({ instanceId: id })[0]?.lifecycleActionToken ?? "";
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    clock.advance(59_000);
    await api.recordLifecycleActionHeartbeat({ groupName: group, hookName: HOOK, token });
    expect(sim.callsTo("RecordLifecycleActionHeartbeat")[0]?.params).toEqual({
        AutoScalingGroupName: group,
        LifecycleHookName: HOOK,
        LifecycleActionToken: token,
    });
    clock.advance(60_000);

    const byToken = await failure(
        api.recordLifecycleActionHeartbeat({ groupName: group, hookName: HOOK, token }),
    );
    expect(byToken).toMatchObject({
        service: "Auto Scaling",
        operation: "RecordLifecycleActionHeartbeat",
        code: "ValidationError",
        cloudMessage: `No active Lifecycle Action found with token ${token}`,
        httpStatus: 400,
        transient: false,
    });
    expect(byToken.requestId).toBeTruthy();
    const byInstance = await failure(
        api.recordLifecycleActionHeartbeat({
            groupName: group,
            hookName: HOOK,
            instanceId: id,
        }),
    );
    expect(byInstance.cloudMessage).toBe(`No active Lifecycle Action found with instance ID ${id}`);
    // one request each: a refused heartbeat is not retried
    expect(
        sim.callsTo("RecordLifecycleActionHeartbeat").map((c) => c.errorCode ?? c.httpStatus),
    ).toEqual([200, "ValidationError", "ValidationError"]);
    const completion = await failure(
        api.completeLifecycleAction({
            groupName: group,
            hookName: HOOK,
            instanceId: id,
            result: "CONTINUE",
        }),
    );
    expect(completion.code).toBe("ValidationError");

    const [refresh] = await api.describeInstanceRefreshes({
        autoScalingGroupName: group,
        instanceRefreshIds: [refreshId],
    });
    expect(refresh?.status).toBe("Failed");
    expect(refresh?.statusReason).toMatch(
        new RegExp(`instance ${id} was abandoned by lifecycle hook ${HOOK}: no heartbeat`),
    );
    const [action] = sim.lifecycleActions({ instanceId: id });
    expect(action).toMatchObject({
        status: "Completed",
        result: "ABANDON",
        endedBy: "HeartbeatTimeout",
    });
    expect(action?.heartbeats).toHaveLength(1);
});

test("unknown hooks and tokens are refused; a throttled heartbeat is retried by the SDK", async () => {
    const api = client();
    const group = newGroup();
    const { id } = await refreshToFirstLaunch(api, group);
    const wrongHook = await failure(
        api.recordLifecycleActionHeartbeat({
            groupName: group,
            hookName: "other",
            instanceId: id,
        }),
    );
    expect(wrongHook.cloudMessage).toBe(`No active Lifecycle Action found with instance ID ${id}`);
    const wrongToken = await failure(
        api.recordLifecycleActionHeartbeat({
            groupName: group,
            hookName: HOOK,
            token: "11111111-2222-4333-8444-555555555555",
        }),
    );
    expect(wrongToken.code).toBe("ValidationError");
    const badResult = await failure(
        api.completeLifecycleAction({
            groupName: group,
            hookName: HOOK,
            instanceId: id,
            result: "MAYBE" as "CONTINUE",
        }),
    );
    expect(badResult.code).toBe("ValidationError");

    sim.reset();
    sim.setFaults({ throttleNext: 1, actions: ["RecordLifecycleActionHeartbeat"] });
    await api.recordLifecycleActionHeartbeat({
        groupName: group,
        hookName: HOOK,
        instanceId: id,
    });
    expect(
        sim.callsTo("RecordLifecycleActionHeartbeat").map((c) => c.errorCode ?? c.httpStatus),
    ).toEqual(["Throttling", 200]);
    expect(sim.lifecycleActions({ instanceId: id })[0]?.heartbeats).toHaveLength(1);
});

test("the admin API seeds hooks, scripts the bootstrap and reads lifecycle actions", async () => {
    const api = client();
    const post = (path: string, json: unknown) =>
        fetch(`${endpoint}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(json) });
    const get = async (path: string): Promise<unknown> =>
        (await fetch(`${endpoint}/_sandbox/${path}`)).json();

    const seed = {
        autoScalingGroupName: "admin-seeded",
        capacity: 1,
        launchTemplate: { launchTemplateId: LT, version: "1" },
        lifecycleHooks: [
            {
                lifecycleHookName: "first",
                lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            },
        ],
    };
    expect((await post("groups", seed)).status).toBe(201);
    const hook = {
        autoScalingGroupName: "admin-seeded",
        lifecycleHookName: HOOK,
        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        heartbeatTimeout: 120,
        defaultResult: "CONTINUE",
    };
    expect((await post("lifecycle-hooks", hook)).status).toBe(201);
    expect((await post("lifecycle-hooks", { ...hook, heartbeatTimeout: 90 })).status).toBe(200);
    const bad = await post("lifecycle-hooks", { ...hook, heartbeatTimeout: 10 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
        error: expect.stringMatching(/heartbeatTimeout must be an integer from 30 to 7200/),
    });
    expect((await post("lifecycle-hooks", { ...hook, autoScalingGroupName: "nope" })).status).toBe(
        404,
    );
    expect(await get("lifecycle-hooks?autoScalingGroupName=admin-seeded")).toEqual([
        expect.objectContaining({
            lifecycleHookName: "first",
            heartbeatTimeout: 3600,
            defaultResult: "ABANDON",
        }),
        expect.objectContaining({
            lifecycleHookName: HOOK,
            heartbeatTimeout: 90,
            globalTimeout: 9000,
        }),
    ]);

    expect(
        (await post("scenario", { autoScalingGroupName: "admin-seeded", bootstrapSeconds: "soon" }))
            .status,
    ).toBe(400);
    expect(
        (
            await post("scenario", {
                autoScalingGroupName: "admin-seeded",
                pendingSeconds: 0,
                batchSeconds: 10,
                bootstrapSeconds: 300,
                bootstrapSecondsPerInstance: [5],
                proceedSeconds: 0,
            })
        ).status,
    ).toBe(200);
    await api.startInstanceRefresh({
        autoScalingGroupName: "admin-seeded",
        desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "2" } },
    });
    clock.advance(10_000);
    const waiting = (await get(
        "lifecycle-actions?autoScalingGroupName=admin-seeded",
    )) as SimLifecycleAction[];
    expect(waiting.map((a) => [a.lifecycleHookName, a.status])).toEqual([
        ["first", "InProgress"],
        [HOOK, "InProgress"],
    ]);
    clock.advance(5_000);
    const done = (await get(
        `lifecycle-actions?autoScalingGroupName=admin-seeded&lifecycleHookName=${HOOK}`,
    )) as SimLifecycleAction[];
    expect(done).toEqual([
        expect.objectContaining({
            lifecycleHookName: HOOK,
            status: "Completed",
            result: "CONTINUE",
            endedBy: "Bootstrap",
            heartbeats: [],
        }),
    ]);
    expect(await get("refreshes?autoScalingGroupName=admin-seeded")).toEqual([
        expect.objectContaining({ Status: "Successful" }),
    ]);
});
