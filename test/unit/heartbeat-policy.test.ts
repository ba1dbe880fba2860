import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import { Checker, UNKNOWN } from "../../src/core/validation";
import type { PendingLifecycleAction } from "../../src/core/heartbeats";
import { essHookPort, LifecycleHookPort } from "../../src/resources/heartbeatPolicy/ports";
import type { EssLifecycleApi } from "../../src/clouds/alicloud/ess";
import { HeartbeatPolicyProvider } from "../../src/resources/heartbeatPolicy/provider";
import { BLIND_LOOKS_LIMIT_MS } from "../../src/resources/heartbeatPolicy/service";
import type {
    HeartbeatPolicyValue,
    HookDescription,
} from "../../src/resources/heartbeatPolicy/types";
import {
    checkHeartbeatPolicies,
    resolvePolicy,
    validateHeartbeatPolicy,
} from "../../src/resources/heartbeatPolicy/validate";

type Props = Record<string, unknown>;

const ess = (extra: Props = {}): Props => ({
    scalingGroupId: "asg-1",
    lifecycleHookId: "ash-1",
    ...extra,
});
const aws = (extra: Props = {}): Props => ({
    autoScalingGroupName: "web",
    lifecycleHookName: "bootstrap",
    ...extra,
});
const reasons = (cloud: "alicloud" | "aws", news: Props): string[] =>
    validateHeartbeatPolicy(cloud, news).violations.map((v) => `${v.property}: ${v.reason}`);

describe("LifecycleHeartbeatPolicy check", () => {
    test("ESS defaults: 600 s heartbeats, 20 of them, as long as they surely cover (160 minutes)", () => {
        const { inputs, violations } = validateHeartbeatPolicy("alicloud", ess());
        expect(violations).toEqual([]);
        expect(inputs).toMatchObject({
            heartbeatTimeoutSeconds: 600,
            maxHeartbeats: 20,
            // Each is sent 120 s before the window closes: 20 x 480 s.
            maxPendingMinutes: 160,
            servicePendingActions: false,
        });
        // 20 heartbeats of 1200 s reach ESS's 6 hours.
        expect(
            validateHeartbeatPolicy("alicloud", ess({ heartbeatTimeoutSeconds: 1200 })).inputs
                .maxPendingMinutes,
        ).toBe(360);
    });

    test.each([
        [
            { heartbeatTimeoutSeconds: 29 },
            "heartbeatTimeoutSeconds must be an integer from 30 to 21600; got 29",
        ],
        [
            { heartbeatTimeoutSeconds: 21601 },
            "heartbeatTimeoutSeconds must be an integer from 30 to 21600; got 21601",
        ],
        [{ maxHeartbeats: 21 }, "maxHeartbeats must be an integer from 1 to 20; got 21"],
        [{ maxPendingMinutes: 361 }, "maxPendingMinutes must be an integer from 1 to 360; got 361"],
        [{ scalingGroupId: "" }, "scalingGroupId is required"],
        [{ lifecycleHookId: undefined }, "lifecycleHookId is required"],
        [{ servicePendingActions: "yes" }, "servicePendingActions must be true or false"],
        [{ heartbeatTimeout: 60 }, "heartbeatTimeout is not a known property"],
    ])("ESS %j is refused: %s", (extra, reason) => {
        expect(reasons("alicloud", ess(extra)).join("\n")).toContain(reason);
    });

    test("a maxPendingMinutes the heartbeats could never reach says so, and how to fix it", () => {
        expect(reasons("alicloud", ess({ maxPendingMinutes: 360 }))).toEqual([
            "maxPendingMinutes: maxPendingMinutes (360) can never be reached: 20 heartbeats of 600 s, " +
                "each sent 120 s before the window it extends closes, keep an action pending at most " +
                "160 minutes; raise heartbeatTimeoutSeconds to at least 1200, or lower maxPendingMinutes to 160",
        ]);
    });

    test.each([
        [
            { heartbeatTimeoutSeconds: 7201 },
            "heartbeatTimeoutSeconds must be an integer from 30 to 7200; got 7201",
        ],
        [{ maxHeartbeats: 10001 }, "maxHeartbeats must be an integer from 1 to 10000; got 10001"],
        [
            { maxPendingMinutes: 2881 },
            "maxPendingMinutes must be an integer from 1 to 2880; got 2881",
        ],
        [{ lifecycleHookName: "a b" }, "lifecycleHookName must be 1 to 255 characters"],
        [
            { heartbeatTimeoutSeconds: 60, maxPendingMinutes: 120 },
            "maxPendingMinutes (120) exceeds what AWS allows a hook with a heartbeat timeout of 60 s: its global timeout, min(48 hours, 100 x 60 s) = 100 minutes",
        ],
    ])("AWS %j is refused: %s", (extra, reason) => {
        expect(reasons("aws", aws(extra)).join("\n")).toContain(reason);
    });

    test("unknown values (preview) are accepted", () => {
        for (const key of [
            "heartbeatTimeoutSeconds",
            "maxHeartbeats",
            "maxPendingMinutes",
            "scalingGroupId",
        ]) {
            expect(reasons("alicloud", ess({ [key]: UNKNOWN }))).toEqual([]);
        }
    });
});

const essHook: HookDescription = {
    id: "ash-1",
    name: "bootstrap",
    transition: "SCALE_OUT",
    defaultResult: "ABANDON",
    timeoutSeconds: 300,
    status: "Active",
};
const awsHook: HookDescription = {
    ...essHook,
    id: "bootstrap",
    transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
    timeoutSeconds: 120,
};

describe("resolvePolicy", () => {
    test("AWS takes the hook's heartbeat timeout, and refuses another", () => {
        const { inputs } = validateHeartbeatPolicy("aws", aws({ maxHeartbeats: 10 }));
        expect(resolvePolicy("aws", inputs, awsHook)).toEqual({
            value: expect.objectContaining({
                cloud: "aws",
                group: "web",
                hook: "bootstrap",
                heartbeatTimeoutSeconds: 120,
                maxHeartbeats: 10,
                // 10 x (120 - 24) s: 16 minutes, within the global timeout of 200.
                maxPendingMinutes: 16,
            }),
        });
        const other = validateHeartbeatPolicy("aws", aws({ heartbeatTimeoutSeconds: 60 })).inputs;
        expect(resolvePolicy("aws", other, awsHook)).toEqual({
            error: expect.stringContaining(
                "heartbeatTimeoutSeconds (60) is not the hook's HeartbeatTimeout (120 s)",
            ),
        });
        const far = validateHeartbeatPolicy("aws", aws({ maxPendingMinutes: 300 })).inputs;
        expect(resolvePolicy("aws", far, awsHook)).toEqual({
            error: expect.stringContaining(
                "global timeout, min(48 hours, 100 x 120 s) = 200 minutes",
            ),
        });
    });
});

describe("a refresh's heartbeatPolicies", () => {
    const value: HeartbeatPolicyValue = {
        cloud: "alicloud",
        group: "asg-1",
        hook: "ash-1",
        hookName: "bootstrap",
        transition: "SCALE_OUT",
        defaultResult: "ABANDON",
        hookTimeoutSeconds: 300,
        heartbeatTimeoutSeconds: 600,
        maxHeartbeats: 20,
        maxPendingMinutes: 200,
    };
    const check = (cloud: "alicloud" | "aws", group: unknown, policies: unknown): string[] => {
        const c = new Checker();
        checkHeartbeatPolicies(c, cloud, group, policies);
        return c.violations.map((v) => v.reason);
    };

    test("must be this cloud's policies, for this group, one per hook; unknowns pass", () => {
        expect(check("alicloud", "asg-1", [value])).toEqual([]);
        expect(check("alicloud", "asg-1", [UNKNOWN])).toEqual([]);
        expect(check("aws", "asg-1", [value])).toEqual([
            "heartbeatPolicies[0] must be the policy output of an aws.LifecycleHeartbeatPolicy (pass the policy resource itself)",
        ]);
        expect(check("alicloud", "asg-2", [value])).toEqual([
            "heartbeatPolicies[0] is a policy for group asg-1, not for this refresh's group asg-2",
        ]);
        expect(check("alicloud", "asg-1", [value, value])).toEqual([
            "heartbeatPolicies[1] repeats lifecycle hook ash-1; give each hook one policy",
        ]);
        expect(check("alicloud", "asg-1", [null])).toEqual([
            "heartbeatPolicies[0] must be an object; got null",
        ]);
    });
});

describe("heartbeatPolicies written by hand, and the ESS hook's own group", () => {
    test("a hand-written policy value gets the cloud's ranges", () => {
        const c = new Checker();
        checkHeartbeatPolicies(c, "alicloud", "asg-1", [
            {
                cloud: "alicloud",
                group: "asg-1",
                hook: "ash-1",
                heartbeatTimeoutSeconds: 30000,
                maxHeartbeats: 20,
                maxPendingMinutes: 60,
            },
        ]);
        expect(c.violations.map((v) => v.property)).toEqual([
            "heartbeatPolicies[0].heartbeatTimeoutSeconds",
            "heartbeatPolicies[0].hookTimeoutSeconds",
        ]);
    });

    test("a hook id of another group is not this group's hook (ESS ignores ScalingGroupId with ids)", async () => {
        const port = essHookPort({
            describeLifecycleHooks: () =>
                Promise.resolve([
                    {
                        lifecycleHookId: "ash-1",
                        scalingGroupId: "asg-other",
                        heartbeatTimeoutSeconds: 300,
                    },
                ]),
        } as unknown as EssLifecycleApi);
        expect(await port.describeHook("asg-1", "ash-1")).toBeUndefined();
        expect(await port.describeHook("asg-other", "ash-1")).toMatchObject({ id: "ash-1" });
    });
});

/** A hook with pending actions that need `needMs` of heartbeats before they complete. */
function fakePort(
    clock: VirtualClock,
    hook: HookDescription | undefined,
    pending: { instanceId: string; needMs: number }[] = [],
    /** Makes a look fail (before the look is made), e.g. a refused permission. */
    failLook?: () => Error | undefined,
) {
    const calls: string[] = [];
    const started = clock.now();
    const beats: { instanceId: string; window: number; at: number }[] = [];
    const port: LifecycleHookPort = {
        describeHook: (group, id) => {
            calls.push(`describeHook ${group} ${id}`);
            return Promise.resolve(hook);
        },
        target: () => ({
            pending: (): Promise<PendingLifecycleAction[]> => {
                calls.push("pending");
                const failure = failLook?.();
                if (failure) {
                    return Promise.reject(failure);
                }
                return Promise.resolve(
                    pending
                        .filter((p) => clock.now() - started < p.needMs)
                        .map((p) => ({
                            instanceId: p.instanceId,
                            token: `t-${p.instanceId}`,
                            pendingSince: started,
                        })),
                );
            },
            record: (action, window) => {
                calls.push(`record ${action.instanceId}`);
                beats.push({ instanceId: action.instanceId, window, at: clock.now() });
                return Promise.resolve();
            },
        }),
        caps: () => ({
            cloud: "ESS",
            choosesWindow: true,
            minWindowSeconds: 30,
            maxHeartbeats: 20,
            maxPendingSeconds: 21600,
        }),
    };
    return { port, calls, beats };
}

/** Checked inputs of an ESS policy with servicePendingActions, as create receives them. */
function servingInputs(extra: Props): Props {
    return validateHeartbeatPolicy("alicloud", ess({ servicePendingActions: true, ...extra }))
        .inputs as unknown as Props;
}

function provider(port: LifecycleHookPort, clock: VirtualClock) {
    const lines: string[] = [];
    const p = new HeartbeatPolicyProvider("alicloud", {
        port: () => port,
        clock,
        log: (l) => lines.push(l),
        env: {},
    });
    return { p, lines };
}

describe("LifecycleHeartbeatPolicy provider", () => {
    test("create verifies the hook read-only and exposes it; check and diff make no call", async () => {
        const clock = new VirtualClock();
        const { port, calls } = fakePort(clock, essHook);
        const { p, lines } = provider(port, clock);
        const news = validateHeartbeatPolicy("alicloud", ess({ __resourceName: "boot" }))
            .inputs as unknown as Props;
        await p.check({}, news);
        expect((await p.diff("id", news, news)).changes).toBe(false);
        expect((await p.diff("id", news, { ...news, maxHeartbeats: 5 })).changes).toBe(true);
        expect(calls).toEqual([]);
        const { outs } = await p.create(news);
        expect(calls).toEqual(["describeHook asg-1 ash-1"]);
        expect(outs).toMatchObject({
            hookName: "bootstrap",
            lifecycleTransition: "SCALE_OUT",
            defaultResult: "ABANDON",
            hookHeartbeatTimeoutSeconds: 300,
            actions: [],
            policy: { cloud: "alicloud", group: "asg-1", hook: "ash-1", maxPendingMinutes: 160 },
        });
        expect(lines.join("\n")).toContain(
            "alicloud.LifecycleHeartbeatPolicy boot: hook bootstrap (SCALE_OUT, default result ABANDON, timeout 300 s)",
        );
    });

    test("a hook the group does not have fails create with a clear error", async () => {
        const clock = new VirtualClock();
        const { p } = provider(fakePort(clock, undefined).port, clock);
        const news = validateHeartbeatPolicy("alicloud", ess({ __resourceName: "boot" }))
            .inputs as unknown as Props;
        await expect(p.create(news)).rejects.toThrow(
            "alicloud.LifecycleHeartbeatPolicy boot: ESS has no lifecycle hook ash-1 on group asg-1 (DescribeLifecycleHooks found none); check lifecycleHookId and scalingGroupId",
        );
    });

    test("servicePendingActions keeps the pending actions alive until each ends, and reports them", async () => {
        const clock = new VirtualClock();
        const { port, beats } = fakePort(clock, essHook, [
            { instanceId: "i-a", needMs: 12 * 60_000 },
            { instanceId: "i-b", needMs: 2 * 60_000 },
        ]);
        const { p } = provider(port, clock);
        const started = clock.now();
        const news = servingInputs({ heartbeatTimeoutSeconds: 300 });
        const { outs } = await p.create(news);
        // It returned once i-a had finished, not before.
        expect(clock.now() - started).toBeGreaterThanOrEqual(12 * 60_000);
        expect(outs.actions).toEqual([
            expect.objectContaining({ instanceId: "i-a", state: "ended" }),
            expect.objectContaining({ instanceId: "i-b", state: "ended", heartbeats: 0 }),
        ]);
        expect(beats.filter((b) => b.instanceId === "i-a").length).toBeGreaterThanOrEqual(2);
        expect(beats.every((b) => b.instanceId === "i-a")).toBe(true);
    });

    const lookError = (code: string, httpStatus: number, transient: boolean) =>
        new CloudError({
            service: "ESS",
            operation: "DescribeLifecycleActions",
            code,
            cloudMessage: `answered ${code}`,
            requestId: "req-1",
            httpStatus,
            transient,
        });

    test("servicePendingActions whose looks are refused fails at once with the cloud's reason", async () => {
        const clock = new VirtualClock();
        const { port, calls, beats } = fakePort(
            clock,
            essHook,
            [{ instanceId: "i-a", needMs: 60 * 60_000 }],
            () => lookError("Forbidden.RAM", 403, false),
        );
        const { p } = provider(port, clock);
        const started = clock.now();
        const news = servingInputs({ __resourceName: "boot" });
        await expect(p.create(news)).rejects.toThrow(
            /servicePendingActions cannot see the pending actions of hook ash-1: ESS DescribeLifecycleActions failed: HTTP 403 Forbidden\.RAM: answered Forbidden\.RAM \(request id req-1\)/,
        );
        expect(clock.now() - started).toBe(0);
        expect(calls.filter((c) => c === "pending")).toHaveLength(1);
        expect(beats).toEqual([]);
    });

    test("servicePendingActions whose looks keep failing transiently fails within 5 minutes, not at its caps", async () => {
        const clock = new VirtualClock();
        const { port, calls } = fakePort(
            clock,
            essHook,
            [{ instanceId: "i-a", needMs: 60 * 60_000 }],
            () => lookError("ServiceUnavailable", 503, true),
        );
        const { p, lines } = provider(port, clock);
        const started = clock.now();
        const news = servingInputs({ __resourceName: "boot" });
        await expect(p.create(news)).rejects.toThrow(
            /servicePendingActions cannot see the pending actions of hook ash-1 \(its looks have failed for 300 s\): ESS DescribeLifecycleActions failed: HTTP 503 ServiceUnavailable/,
        );
        expect(clock.now() - started).toBe(BLIND_LOOKS_LIMIT_MS);
        expect(BLIND_LOOKS_LIMIT_MS).toBe(5 * 60_000);
        expect(calls.filter((c) => c === "pending")).toHaveLength(31);
        expect(lines.filter((l) => /looking again shortly/.test(l))).toHaveLength(30);
    });

    test("servicePendingActions goes on through a few failed looks, and the count starts again after one succeeds", async () => {
        const clock = new VirtualClock();
        const started = clock.now();
        // Looks fail for 4 minutes, succeed once at 4 min, fail for 4 more minutes, then succeed.
        const failing = (t: number) => t < 240_000 || (t > 240_000 && t < 480_000);
        const { port, beats } = fakePort(
            clock,
            essHook,
            [{ instanceId: "i-a", needMs: 12 * 60_000 }],
            () => (failing(clock.now() - started) ? lookError("Throttling", 400, true) : undefined),
        );
        const { p } = provider(port, clock);
        const news = servingInputs({ heartbeatTimeoutSeconds: 300 });
        const { outs } = await p.create(news);
        expect(clock.now() - started).toBeGreaterThanOrEqual(12 * 60_000);
        expect(outs.actions).toEqual([
            expect.objectContaining({ instanceId: "i-a", state: "ended" }),
        ]);
        expect(beats.length).toBeGreaterThanOrEqual(1);
    });
});
