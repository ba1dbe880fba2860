/**
 * The real ESS client (openapi-core over HTTP, @alicloud/credentials' default chain) against the
 * simulator on 127.0.0.1: the bytes on the wire are real and the simulator verifies the signatures.
 */
import * as net from "net";
import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createEssClient, EssApi } from "../../src/clouds/alicloud/ess";
import {
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ess";
import Credential, { Config as CredentialConfig } from "@alicloud/credentials";

const REGION = "cn-hangzhou";
let sim: EssSimulator;
let endpoint: string;

beforeAll(async () => {
    // The default credential chain reads these; the metadata service is disabled in test/setup-env.js.
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SANDBOX_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SANDBOX_ACCESS_KEY_SECRET;
    sim = new EssSimulator({
        groups: [
            { scalingGroupId: "asg-a", capacity: 4, scalingGroupName: "web" },
            { scalingGroupId: "asg-b", capacity: 4 },
            { scalingGroupId: "asg-c", capacity: 4 },
        ],
        scenario: { pendingSeconds: 0, batchSeconds: 3600 },
    });
    endpoint = (await sim.listen()).endpoint;
});
afterAll(() => sim.close());
beforeEach(() => {
    sim.reset();
    sim.setFaults({});
});

const client = (extra: Partial<Parameters<typeof createEssClient>[0]> = {}): EssApi =>
    createEssClient({
        regionId: REGION,
        endpoint: parseEndpoint(endpoint),
        clock: new VirtualClock(),
        ...extra,
    });

test("ids beyond what one ESS Describe takes (20): groups are asked in pieces, task ids refused before a call", async () => {
    const api = client();
    const ids = [...Array.from({ length: 40 }, (_, n) => `asg-none-${n}`), "asg-a", "asg-c"];
    const groups = await api.describeScalingGroups({ scalingGroupIds: ids });
    expect(groups.map((g) => g.scalingGroupId).sort()).toEqual(["asg-a", "asg-c"]);
    const asked = sim.calls.filter((c) => c.action === "DescribeScalingGroups");
    expect(asked).toHaveLength(3);
    expect(asked.every((c) => c.httpStatus === 200)).toBe(true);
    await expect(
        api.describeInstanceRefreshes({
            scalingGroupId: "asg-a",
            instanceRefreshTaskIds: Array.from({ length: 21 }, (_, n) => `ir-${n}`),
        }),
    ).rejects.toThrow(/up to 20 task ids per call, got 21/);
    expect(sim.calls.some((c) => c.action === "DescribeInstanceRefreshes")).toBe(false);
});

test("StartInstanceRefresh sends every parameter flattened as ESS expects, V3-signed", async () => {
    const id = await client().startInstanceRefresh({
        scalingGroupId: "asg-a",
        clientToken: "pr-token-1",
        desiredConfiguration: { imageId: "m-new" },
        minHealthyPercentage: 50,
        maxHealthyPercentage: 150,
        skipMatching: false,
        checkpoints: [50, 100],
        checkpointPauseTime: 10,
    });
    expect(id).toMatch(/^ir-/);
    const [call] = sim.callsTo("StartInstanceRefresh");
    expect(call).toMatchObject({
        signatureVersion: "v3",
        accessKeyId: SANDBOX_ACCESS_KEY_ID,
        httpStatus: 200,
    });
    expect(call?.params).toMatchObject({
        RegionId: REGION,
        ScalingGroupId: "asg-a",
        ClientToken: "pr-token-1",
        "DesiredConfiguration.ImageId": "m-new",
        MinHealthyPercentage: "50",
        MaxHealthyPercentage: "150",
        SkipMatching: "false",
        "Checkpoints.1.Percentage": "50",
        "Checkpoints.2.Percentage": "100",
        CheckpointPauseTime: "10",
    });

    const { tasks } = await client().describeInstanceRefreshes({
        scalingGroupId: "asg-a",
        instanceRefreshTaskIds: [id],
    });
    expect(sim.callsTo("DescribeInstanceRefreshes")[0]?.params["InstanceRefreshTaskIds.1"]).toBe(
        id,
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
        instanceRefreshTaskId: id,
        scalingGroupId: "asg-a",
        minHealthyPercentage: 50,
        maxHealthyPercentage: 150,
        skipMatching: false,
        checkpoints: [50, 100],
        checkpointPauseTime: 10,
        totalNeedUpdateCapacity: 4,
        desiredConfiguration: { imageId: "m-new" },
    });
    expect(["Pending", "InProgress"]).toContain(tasks[0]?.status);

    await client().cancelInstanceRefresh({ scalingGroupId: "asg-a", instanceRefreshTaskId: id });
    expect(sim.callsTo("CancelInstanceRefresh")[0]?.params).toMatchObject({
        ScalingGroupId: "asg-a",
        InstanceRefreshTaskId: id,
    });
});

test("launch templates and containers are flattened to their N-indexed names; V2 signatures work too", async () => {
    const v2 = client({ signatureAlgorithm: "v2" });
    await v2.startInstanceRefresh({
        scalingGroupId: "asg-b",
        desiredConfiguration: {
            launchTemplateId: "lt-1",
            launchTemplateVersion: "3",
            launchTemplateOverrides: [
                { instanceType: "ecs.g7.large" },
                { instanceType: "ecs.g7.xlarge" },
            ],
        },
    });
    const [lt] = sim.callsTo("StartInstanceRefresh");
    expect(lt?.signatureVersion).toBe("v2");
    expect(lt?.params).toMatchObject({
        "DesiredConfiguration.LaunchTemplateId": "lt-1",
        "DesiredConfiguration.LaunchTemplateVersion": "3",
        "DesiredConfiguration.LaunchTemplateOverrides.1.InstanceType": "ecs.g7.large",
        "DesiredConfiguration.LaunchTemplateOverrides.2.InstanceType": "ecs.g7.xlarge",
    });

    await client().startInstanceRefresh({
        scalingGroupId: "asg-c",
        desiredConfiguration: {
            containers: [
                {
                    name: "web",
                    image: "nginx:1.27",
                    commands: ["nginx"],
                    args: ["-g", "daemon off;"],
                    environmentVars: [{ key: "PORT", value: "80" }],
                },
            ],
        },
    });
    expect(sim.callsTo("StartInstanceRefresh")[1]?.params).toMatchObject({
        "DesiredConfiguration.Containers.1.Name": "web",
        "DesiredConfiguration.Containers.1.Image": "nginx:1.27",
        "DesiredConfiguration.Containers.1.Commands.1": "nginx",
        "DesiredConfiguration.Containers.1.Args.2": "daemon off;",
        "DesiredConfiguration.Containers.1.EnvironmentVars.1.Key": "PORT",
        "DesiredConfiguration.Containers.1.EnvironmentVars.1.Value": "80",
    });
});

test("throttling and 5xx are retried with backoff until they pass", async () => {
    sim.setFaults({ throttleNext: 2, internalErrorNext: 1 });
    const clock = new VirtualClock();
    const groups = await client({ clock }).describeScalingGroups({ scalingGroupIds: ["asg-a"] });
    expect(groups).toEqual([
        expect.objectContaining({
            scalingGroupId: "asg-a",
            scalingGroupName: "web",
            totalCapacity: 4,
        }),
    ]);
    expect(sim.calls.map((c) => c.errorCode ?? c.httpStatus)).toEqual([
        "Throttling.User",
        "Throttling.User",
        "InternalError",
        200,
    ]);
    expect(clock.sleeps).toHaveLength(3);
});

test("a 4xx is not retried and is mapped to the cloud's code, message and request id", async () => {
    const err = await client()
        .startInstanceRefresh({
            scalingGroupId: "asg-a",
            desiredConfiguration: { imageId: "m-1" },
            minHealthyPercentage: 150,
        })
        .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    const e = err as CloudError;
    expect(e.code).toBe("InvalidParameter");
    expect(e.httpStatus).toBe(400);
    expect(e.transient).toBe(false);
    expect(e.cloudMessage).toContain("MinHealthyPercentage");
    expect(e.requestId).toBe(sim.calls[0]?.requestId);
    expect(e.message).toContain(`(request id ${e.requestId})`);
    expect(sim.calls).toHaveLength(1);
});

test("a wrong secret is a SignatureDoesNotMatch, not retried, and the secret is not in the error", async () => {
    const bad = client({
        credential: new Credential(
            new CredentialConfig({
                type: "access_key",
                accessKeyId: SANDBOX_ACCESS_KEY_ID,
                accessKeySecret: "wrong-secret-value",
            }),
        ),
    });
    const err = (await bad
        .describeScalingGroups({ scalingGroupIds: ["asg-a"] })
        .catch((e: unknown) => e)) as CloudError;
    expect(err.code).toBe("SignatureDoesNotMatch");
    expect(sim.calls).toHaveLength(1);
    expect(err.message).not.toContain("wrong-secret-value");
    expect(JSON.stringify(err)).not.toContain("wrong-secret-value");
});

test("an endpoint that does not answer is a transient NetworkError, retried, then reported", async () => {
    const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
            const p = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(p));
        });
    });
    const clock = new VirtualClock();
    const dead = client({
        endpoint: parseEndpoint(`http://127.0.0.1:${port}`),
        clock,
        maxAttempts: 3,
    });
    const err = (await dead
        .describeScalingGroups({ scalingGroupIds: ["asg-a"] })
        .catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("NetworkError");
    expect(err.transient).toBe(true);
    expect(clock.sleeps).toHaveLength(2);
});
