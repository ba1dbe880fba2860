/**
 * Simulators whose world runs 1000 times faster, against the real clients over HTTP: refreshes
 * pass in the world's time, while signatures (checked within 15 minutes), the request quota and
 * AWS's Date header (which the SDK corrects its clock by) keep the wall clock, so a client on
 * the wall clock is still accepted after the world has run hours ahead of it.
 */
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createEssClient } from "../../src/clouds/alicloud/ess";
import { createAutoScalingClient } from "../../src/clouds/aws/autoscaling";
import {
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "../../src/sandbox/autoscaling";
import {
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ess";

const LT = "lt-0123456789abcdef0";
const saved = { ...process.env };
const wallSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
    Object.assign(process.env, {
        ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
        AWS_ACCESS_KEY_ID: SANDBOX_AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SANDBOX_AWS_SECRET_ACCESS_KEY,
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    });
});
afterAll(() => {
    process.env = saved;
});

test("ESS: a refresh of an hour of the world's time passes in seconds; signatures stay valid", async () => {
    const sim = new EssSimulator({
        timeScale: 1000,
        groups: [{ scalingGroupId: "asg-a", capacity: 4 }],
        scenario: { pendingSeconds: 60, batchSeconds: 600 },
    });
    const { stackEndpoint } = await sim.listen();
    try {
        const endpoint = parseEndpoint(stackEndpoint);
        expect(endpoint.pace?.timeScale).toBe(1000);
        const ess = createEssClient({ regionId: "cn-hangzhou", endpoint });
        const id = await ess.startInstanceRefresh({
            scalingGroupId: "asg-a",
            desiredConfiguration: { imageId: "m-2" },
            minHealthyPercentage: 50,
            maxHealthyPercentage: 100,
        });
        // 2.5 s of wall time: about 42 minutes of the world's, past the signature window.
        await wallSleep(2_500);
        const { tasks } = await ess.describeInstanceRefreshes({
            scalingGroupId: "asg-a",
            instanceRefreshTaskIds: [id],
        });
        expect(tasks[0]?.status).toBe("Successful");
        expect(
            Date.parse(tasks[0]!.endTime!) - Date.parse(tasks[0]!.startTime!),
        ).toBeGreaterThanOrEqual(20 * 60_000);
        expect(sim.calls.every((c) => c.httpStatus === 200)).toBe(true);
    } finally {
        await sim.close();
    }
});

test("Auto Scaling: the same, and the Date header is the wall clock's", async () => {
    const sim = new AutoScalingSimulator({
        timeScale: 1000,
        launchTemplates: [{ launchTemplateId: LT, launchTemplateName: "web", versions: 2 }],
        groups: [
            {
                autoScalingGroupName: "web",
                capacity: 4,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
        ],
        scenario: { pendingSeconds: 60, batchSeconds: 600 },
    });
    const { endpoint, stackEndpoint } = await sim.listen();
    try {
        expect(stackEndpoint).toContain("?timeScale=1000&timeOrigin=");
        const asg = createAutoScalingClient({ region: "us-east-1", endpoint, maxAttempts: 1 });
        const id = await asg.startInstanceRefresh({
            autoScalingGroupName: "web",
            desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "2" } },
            preferences: { minHealthyPercentage: 50 },
        });
        await wallSleep(2_500);
        const [refresh] = await asg.describeInstanceRefreshes({
            autoScalingGroupName: "web",
            instanceRefreshIds: [id],
        });
        expect(refresh?.status).toBe("Successful");
        expect(sim.calls.every((c) => c.httpStatus === 200)).toBe(true);
        const answer = await fetch(`${endpoint}/?Action=DescribeAutoScalingGroups`);
        const date = Date.parse(answer.headers.get("date") ?? "");
        expect(Math.abs(date - Date.now())).toBeLessThan(5_000);
    } finally {
        await sim.close();
    }
});
