/**
 * The simulators' account-wide request quota (Throttling beyond it) and the clients' rate limiter
 * against it, over real HTTP with real signatures.
 */
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { createEssClient } from "../../src/clouds/alicloud/ess";
import { createAutoScalingClient } from "../../src/clouds/aws/autoscaling";
import { CloudError } from "../../src/core/errors";
import { RateLimiter, RateLimiterRegistry } from "../../src/core/rateLimiter";
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

const saved = { ...process.env };
let ess: EssSimulator;
let essEndpoint: string;
let asg: AutoScalingSimulator;
let asgEndpoint: string;

beforeAll(async () => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SANDBOX_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SANDBOX_ACCESS_KEY_SECRET;
    process.env.AWS_ACCESS_KEY_ID = SANDBOX_AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SANDBOX_AWS_SECRET_ACCESS_KEY;
    process.env.AWS_CONFIG_FILE = "/dev/null";
    process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
    ess = new EssSimulator({
        groups: [{ scalingGroupId: "asg-q", capacity: 2 }],
        scenario: { pendingSeconds: 0, batchSeconds: 3600 },
    });
    essEndpoint = (await ess.listen()).endpoint;
    asg = new AutoScalingSimulator({
        groups: [{ autoScalingGroupName: "web", capacity: 2 }],
        scenario: { pendingSeconds: 0, batchSeconds: 3600 },
    });
    asgEndpoint = (await asg.listen()).endpoint;
});
afterAll(async () => {
    process.env = saved;
    await Promise.all([ess.close(), asg.close()]);
});
beforeEach(() => {
    ess.reset();
    ess.setQuota(undefined);
    asg.reset();
    asg.setQuota(undefined);
});

const essClient = (limiters: RateLimiterRegistry | false, maxAttempts = 6) =>
    createEssClient({
        regionId: "cn-hangzhou",
        endpoint: parseEndpoint(essEndpoint),
        limiters,
        maxAttempts,
    });

const registry = (ratePerSecond: number) =>
    new RateLimiterRegistry(() => new RateLimiter({ ratePerSecond }));

test("ESS: beyond the quota an access key's requests answer Throttling.User, counted per key", async () => {
    // A burst of 4, refilled once every 4 s: seven requests sent at once meet 4 tokens, however
    // slowly a busy machine sends them.
    ess.setQuota({ requestsPerSecond: 0.25, burst: 4 });
    const api = essClient(false, 1);
    const results = await Promise.allSettled(
        Array.from({ length: 7 }, () => api.describeInstanceRefreshes({ scalingGroupId: "asg-q" })),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    expect(rejected).toHaveLength(3);
    for (const r of rejected) {
        expect(r.reason).toBeInstanceOf(CloudError);
        expect((r.reason as CloudError).code).toBe("Throttling.User");
        expect((r.reason as CloudError).transient).toBe(true);
    }
    expect(ess.calls.filter((c) => c.errorCode === "Throttling.User")).toHaveLength(3);
    expect(ess.quotaState()).toEqual({
        requestsPerSecond: 0.25,
        burst: 4,
        admitted: 4,
        throttled: 3,
    });
});

test("ESS: a badly signed request is refused for its signature, not counted against the quota", async () => {
    ess.setQuota({ requestsPerSecond: 1, burst: 1 });
    const res = await fetch(`${essEndpoint}/?Action=DescribeScalingGroups&Version=2022-02-22`, {
        method: "POST",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const body = (await res.json()) as { Code: string };
    expect(body.Code).not.toMatch(/Throttling/);
    expect(ess.quotaState()).toMatchObject({ admitted: 0, throttled: 0 });
});

test("ESS: the client's limiter keeps 30 concurrent calls under a 5 req/s quota with no error", async () => {
    ess.setQuota({ requestsPerSecond: 5 });
    const api = essClient(registry(4));
    const started = Date.now();
    await Promise.all(
        Array.from({ length: 30 }, () =>
            api.describeInstanceRefreshes({ scalingGroupId: "asg-q" }),
        ),
    );
    const seconds = (Date.now() - started) / 1000;
    // 4 at once, then 26 at 4/s: about 6.5 s; none throttled.
    expect(seconds).toBeGreaterThan(5.5);
    expect(ess.quotaState()).toMatchObject({ admitted: 30, throttled: 0 });
}, 20_000);

test("ESS: a limiter faster than the quota is slowed down by the throttling answers, and retries absorb them", async () => {
    ess.setQuota({ requestsPerSecond: 5 });
    const limiters = registry(20);
    const api = essClient(limiters);
    await Promise.all(
        Array.from({ length: 30 }, () =>
            api.describeInstanceRefreshes({ scalingGroupId: "asg-q" }),
        ),
    );
    const state = ess.quotaState();
    expect(state.admitted).toBe(30);
    expect(state.throttled).toBeGreaterThan(0);
    const limiter = limiters.get(
        `http://${parseEndpoint(essEndpoint).host}`,
        SANDBOX_ACCESS_KEY_ID,
    );
    expect(limiter.counters().throttled).toBe(state.throttled);
    expect(limiter.rate()).toBeLessThan(20);
}, 30_000);

test("Auto Scaling: beyond the quota requests answer Throttling; the limiter keeps under it", async () => {
    // A burst of 3, refilled once every 2 s: five requests sent at once meet 3 tokens, however
    // slowly a busy machine sends them.
    asg.setQuota({ requestsPerSecond: 0.5, burst: 3 });
    const bare = createAutoScalingClient({
        region: "us-east-1",
        endpoint: asgEndpoint,
        maxAttempts: 1,
        limiters: false,
    });
    const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => bare.describeAutoScalingGroup("web")),
    );
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(2);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "Throttling" });
    expect(asg.quotaState()).toMatchObject({
        requestsPerSecond: 0.5,
        burst: 3,
        admitted: 3,
        throttled: 2,
    });

    asg.setQuota({ requestsPerSecond: 3 });
    const limited = createAutoScalingClient({
        region: "us-east-1",
        endpoint: asgEndpoint,
        maxAttempts: 1,
        // Half the quota: the server's bucket starts with the first request's arrival, and a busy
        // machine may deliver two spaced requests together.
        limiters: registry(1.5),
    });
    await Promise.all(Array.from({ length: 6 }, () => limited.describeAutoScalingGroup("web")));
    expect(asg.quotaState()).toMatchObject({ admitted: 6, throttled: 0 });
}, 20_000);

test("the admin API sets, reads and removes the quota, and refuses bad values", async () => {
    const admin = (method: string, path: string, body?: unknown) =>
        fetch(`${essEndpoint}/_sandbox/${path}`, {
            method,
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    let res = await admin("POST", "quota", { requestsPerSecond: 7, burst: 3 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ requestsPerSecond: 7, burst: 3, admitted: 0, throttled: 0 });
    res = await admin("GET", "quota");
    expect(await res.json()).toMatchObject({ requestsPerSecond: 7, burst: 3 });
    expect((await admin("POST", "quota", { requestsPerSecond: 0 })).status).toBe(400);
    expect((await admin("POST", "quota", { requestsPerSecond: 5, burst: 0.5 })).status).toBe(400);
    expect((await admin("POST", "quota", { burst: 2 })).status).toBe(400);
    expect((await admin("GET", "quota")).status).toBe(200);
    res = await admin("POST", "quota", {});
    expect(await res.json()).toEqual({ admitted: 0, throttled: 0 });

    const aws = await fetch(`${asgEndpoint}/_sandbox/quota`, {
        method: "POST",
        body: JSON.stringify({ requestsPerSecond: 2 }),
    });
    expect(await aws.json()).toEqual({ requestsPerSecond: 2, burst: 2, admitted: 0, throttled: 0 });
});
