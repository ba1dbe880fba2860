/**
 * The Auto Scaling client (AWS SDK v3 over HTTP, SigV4) against the simulator on 127.0.0.1: the
 * bytes on the wire are real and the simulator verifies the signatures.
 */
import { CloudError } from "../../src/core/errors";
import { createAutoScalingClient } from "../../src/clouds/aws/autoscaling";
import {
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "../../src/sandbox/autoscaling";

const LT = "lt-0123456789abcdef0";
let sim: AutoScalingSimulator;
let endpoint: string;
const saved = { ...process.env };

beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = SANDBOX_AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = "/dev/null";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
    sim = new AutoScalingSimulator({
        launchTemplates: [
            { launchTemplateId: LT, launchTemplateName: "web", versions: 4, defaultVersion: 2 },
        ],
        groups: [
            {
                autoScalingGroupName: "db",
                capacity: 2,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
            {
                autoScalingGroupName: "jobs",
                capacity: 2,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
            {
                autoScalingGroupName: "web",
                capacity: 4,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
            {
                autoScalingGroupName: "api",
                capacity: 2,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
        ],
        scenario: { pendingSeconds: 0, batchSeconds: 3600 },
    });
    endpoint = (await sim.listen()).endpoint;
    process.env.AWS_ENDPOINT_URL_EC2 = endpoint;
});
afterAll(async () => {
    process.env = saved;
    await sim.close();
});
beforeEach(() => {
    sim.reset();
    sim.setFaults({});
});

const client = (maxAttempts = 3) =>
    createAutoScalingClient({ region: "us-east-1", endpoint, maxAttempts });

test("StartInstanceRefresh sends the desired configuration and preferences as the Query protocol expects", async () => {
    const id = await client().startInstanceRefresh({
        autoScalingGroupName: "web",
        strategy: "Rolling",
        desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "3" } },
        preferences: {
            minHealthyPercentage: 75,
            maxHealthyPercentage: 150,
            instanceWarmupSeconds: 60,
            checkpointPercentages: [50, 100],
            checkpointDelaySeconds: 120,
            skipMatching: true,
            autoRollback: true,
            scaleInProtectedInstances: "Wait",
            standbyInstances: "Terminate",
            alarmSpecification: { alarms: ["web-5xx"] },
            bakeTimeSeconds: 30,
        },
    });
    expect(id).toBeTruthy();
    const [call] = sim.callsTo("StartInstanceRefresh");
    expect(call?.service).toBe("autoscaling");
    expect(call?.params).toMatchObject({
        AutoScalingGroupName: "web",
        Strategy: "Rolling",
        "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
        "DesiredConfiguration.LaunchTemplate.Version": "3",
        "Preferences.MinHealthyPercentage": "75",
        "Preferences.MaxHealthyPercentage": "150",
        "Preferences.InstanceWarmup": "60",
        "Preferences.CheckpointPercentages.member.1": "50",
        "Preferences.CheckpointPercentages.member.2": "100",
        "Preferences.CheckpointDelay": "120",
        "Preferences.SkipMatching": "true",
        "Preferences.AutoRollback": "true",
        "Preferences.ScaleInProtectedInstances": "Wait",
        "Preferences.StandbyInstances": "Terminate",
        "Preferences.AlarmSpecification.Alarms.member.1": "web-5xx",
        "Preferences.BakeTime": "30",
    });

    const [refresh] = await client().describeInstanceRefreshes({
        autoScalingGroupName: "web",
        instanceRefreshIds: [id],
    });
    expect(refresh).toMatchObject({
        instanceRefreshId: id,
        autoScalingGroupName: "web",
        desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "3" } },
        preferences: {
            minHealthyPercentage: 75,
            checkpointPercentages: [50, 100],
            bakeTimeSeconds: 30,
            checkpointDelaySeconds: 120,
        },
    });
    expect(["Pending", "InProgress"]).toContain(refresh?.status);
    expect(typeof refresh?.startTime).toBe("string");

    expect(await client().cancelInstanceRefresh("web")).toBe(id);
});

test("a second start while one is active is InstanceRefreshInProgress, not retried", async () => {
    await client().startInstanceRefresh({ autoScalingGroupName: "api" });
    const err = (await client()
        .startInstanceRefresh({ autoScalingGroupName: "api" })
        .catch((e: unknown) => e)) as CloudError;
    expect(err).toBeInstanceOf(CloudError);
    expect(err.code).toBe("InstanceRefreshInProgress");
    expect(err.httpStatus).toBe(400);
    expect(err.transient).toBe(false);
    expect(err.requestId).toBeTruthy();
    expect(sim.callsTo("StartInstanceRefresh")).toHaveLength(2);
    await client().cancelInstanceRefresh("api");
});

test("throttling is retried by the SDK with backoff and passes", async () => {
    sim.setFaults({ throttleNext: 2 });
    const group = await client(5).describeAutoScalingGroup("web");
    expect(group).toMatchObject({
        autoScalingGroupName: "web",
        instances: 4,
        launchTemplate: { launchTemplateId: LT },
    });
    expect(sim.calls.map((c) => c.errorCode ?? c.httpStatus)).toEqual([
        "Throttling",
        "Throttling",
        200,
    ]);
});

test("$Latest and $Default resolve through EC2 DescribeLaunchTemplates", async () => {
    expect(
        await client().resolveLaunchTemplateVersion({ launchTemplateId: LT, version: "$Latest" }),
    ).toBe("4");
    expect(
        await client().resolveLaunchTemplateVersion({
            launchTemplateName: "web",
            version: "$Default",
        }),
    ).toBe("2");
    expect(
        await client().resolveLaunchTemplateVersion({ launchTemplateId: LT, version: "3" }),
    ).toBe("3");
    expect(sim.callsTo("DescribeLaunchTemplates").map((c) => c.service)).toEqual(["ec2", "ec2"]);
});

test("a wrong secret is refused by the signature check, and the secret is not in the error", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "wrong-aws-secret-value";
    try {
        const err = (await client(1)
            .describeAutoScalingGroup("web")
            .catch((e: unknown) => e)) as CloudError;
        expect(err.code).toBe("SignatureDoesNotMatch");
        expect(err.message).not.toContain("wrong-aws-secret-value");
    } finally {
        process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_AWS_SECRET_ACCESS_KEY;
    }
});

test("an unknown group is undefined, not an error", async () => {
    expect(await client().describeAutoScalingGroup("nope")).toBeUndefined();
});

test("ResourceContention (HTTP 500) is retried by the SDK; LimitExceeded is reported at once", async () => {
    sim.setFaults({ resourceContentionNext: 1, actions: ["StartInstanceRefresh"] });
    const id = await client().startInstanceRefresh({ autoScalingGroupName: "db" });
    expect(sim.callsTo("StartInstanceRefresh").map((c) => c.errorCode ?? c.httpStatus)).toEqual([
        "ResourceContention",
        200,
    ]);
    expect(sim.refreshes("db").filter((r) => r.InstanceRefreshId === id)).toHaveLength(1);

    sim.reset();
    sim.setFaults({ limitExceededNext: 1, actions: ["StartInstanceRefresh"] });
    const err = (await client()
        .startInstanceRefresh({ autoScalingGroupName: "jobs" })
        .catch((e: unknown) => e)) as CloudError;
    expect(err.code).toBe("LimitExceeded");
    expect(err.transient).toBe(false);
    expect(sim.callsTo("StartInstanceRefresh")).toHaveLength(1);
});
