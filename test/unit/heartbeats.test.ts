import { VirtualClock } from "../../src/core/clock";
import { CloudError } from "../../src/core/errors";
import {
    CloudHeartbeatCaps,
    HeartbeatKeeper,
    HeartbeatPolicySpec,
    PendingLifecycleAction,
    HeartbeatTarget,
} from "../../src/core/heartbeats";

const ESS: CloudHeartbeatCaps = {
    cloud: "ESS",
    choosesWindow: true,
    minWindowSeconds: 30,
    maxHeartbeats: 20,
    maxPendingSeconds: 6 * 3600,
};

const awsCaps = (hookTimeoutSeconds: number): CloudHeartbeatCaps => ({
    cloud: "Auto Scaling",
    choosesWindow: false,
    minWindowSeconds: 30,
    maxHeartbeats: Infinity,
    maxPendingSeconds: Math.min(172_800, 100 * hookTimeoutSeconds),
});

interface SimAction {
    instanceId: string;
    since: number;
    windowEnd: number;
    /** The instance completes its action itself at this time. */
    completesAt: number;
    endedBy?: "completed" | "timeout";
    endedAt?: number;
    heartbeats: { at: number; window: number }[];
}

/** A hook's pending actions, as a cloud keeps them: windows, heartbeats and caps. */
class FakeHook implements HeartbeatTarget {
    readonly actions: SimAction[] = [];
    refuseWith?: CloudError;
    transientFailures = 0;
    reportSince = true;

    constructor(
        private readonly clock: VirtualClock,
        private readonly hookTimeoutSeconds: number,
        private readonly caps: CloudHeartbeatCaps,
    ) {}

    add(instanceId: string, bootstrapMs: number): void {
        const now = this.clock.now();
        this.actions.push({
            instanceId,
            since: now,
            windowEnd: now + this.hookTimeoutSeconds * 1000,
            completesAt: now + bootstrapMs,
            heartbeats: [],
        });
    }

    private settle(): void {
        const now = this.clock.now();
        for (const a of this.actions) {
            if (a.endedBy) {
                continue;
            }
            const end = Math.min(a.windowEnd, a.completesAt);
            if (now >= end) {
                a.endedBy = a.completesAt <= a.windowEnd ? "completed" : "timeout";
                a.endedAt = end;
            }
        }
    }

    pending(): Promise<PendingLifecycleAction[]> {
        this.settle();
        return Promise.resolve(
            this.actions
                .filter((a) => !a.endedBy)
                .map((a) => ({
                    instanceId: a.instanceId,
                    token: `tok-${a.instanceId}`,
                    pendingSince: this.reportSince ? a.since : undefined,
                })),
        );
    }

    record(action: PendingLifecycleAction, windowSeconds: number): Promise<void> {
        this.settle();
        if (this.transientFailures > 0) {
            this.transientFailures--;
            return Promise.reject(
                new CloudError({
                    service: "ESS",
                    operation: "RecordLifecycleActionHeartbeat",
                    code: "Throttling",
                    cloudMessage: "slow down",
                    transient: true,
                }),
            );
        }
        if (this.refuseWith) {
            return Promise.reject(this.refuseWith);
        }
        const a = this.actions.find((x) => x.instanceId === action.instanceId && !x.endedBy);
        if (!a) {
            return Promise.reject(new Error(`no pending action for ${action.instanceId}`));
        }
        const now = this.clock.now();
        const window = this.caps.choosesWindow ? windowSeconds : this.hookTimeoutSeconds;
        if (window < 30 || a.heartbeats.length >= this.caps.maxHeartbeats) {
            return Promise.reject(new Error("cap exceeded"));
        }
        if (now + window * 1000 - a.since > this.caps.maxPendingSeconds * 1000) {
            return Promise.reject(new Error("time exceeded"));
        }
        a.heartbeats.push({ at: now, window });
        a.windowEnd = now + window * 1000;
        return Promise.resolve();
    }
}

function setup(policy: Partial<HeartbeatPolicySpec>, caps: CloudHeartbeatCaps = ESS) {
    const clock = new VirtualClock();
    const spec: HeartbeatPolicySpec = {
        hookId: "ash-1",
        heartbeatTimeoutSeconds: 600,
        maxHeartbeats: 20,
        maxPendingMinutes: 60,
        hookTimeoutSeconds: 300,
        defaultResult: "ABANDON",
        ...policy,
    };
    const hook = new FakeHook(clock, spec.hookTimeoutSeconds, caps);
    const lines: string[] = [];
    const keeper = new HeartbeatKeeper(hook, spec, caps, clock, (l) => lines.push(l));
    /** Drives the keeper as a waiter would, for `ms` of virtual time. */
    const run = async (ms: number): Promise<number> => {
        const end = clock.now() + ms;
        let ticks = 0;
        while (clock.now() < end) {
            const next = await keeper.tick();
            ticks++;
            clock.advance(Math.min(next, end - clock.now()) || 1);
        }
        return ticks;
    };
    return { clock, hook, keeper, lines, run, spec };
}

describe("HeartbeatKeeper", () => {
    test("keeps a slow bootstrap alive past the hook's timeout, then stops when the instance completes", async () => {
        const { hook, keeper, lines, run } = setup({});
        hook.add("i-slow", 25 * 60_000);
        await run(40 * 60_000);
        const a = hook.actions[0]!;
        expect(a.endedBy).toBe("completed");
        // 25 minutes pending with a 5-minute hook and 10-minute heartbeats: a few heartbeats, not more.
        expect(a.heartbeats.length).toBeGreaterThanOrEqual(2);
        expect(a.heartbeats.length).toBeLessThanOrEqual(4);
        expect(keeper.report()).toEqual([
            expect.objectContaining({
                instanceId: "i-slow",
                state: "ended",
                heartbeats: a.heartbeats.length,
            }),
        ]);
        expect(lines.join("\n")).toContain(
            `i-slow: lifecycle action ended after ${a.heartbeats.length} heartbeats`,
        );
    });

    test("a bootstrap shorter than the hook's timeout gets no heartbeat", async () => {
        const { hook, run } = setup({});
        hook.add("i-fast", 3 * 60_000);
        await run(10 * 60_000);
        expect(hook.actions[0]!.endedBy).toBe("completed");
        expect(hook.actions[0]!.heartbeats).toEqual([]);
    });

    test("never keeps an action pending past maxPendingMinutes, and says so", async () => {
        const { hook, keeper, lines, run } = setup({ maxPendingMinutes: 60 });
        hook.add("i-stuck", 10 * 3600_000);
        await run(3 * 3600_000);
        const a = hook.actions[0]!;
        expect(a.endedBy).toBe("timeout");
        // The window ends exactly at the cap: the last heartbeat asked for only what was left.
        expect(a.endedAt! - a.since).toBe(60 * 60_000);
        for (const h of a.heartbeats) {
            expect(h.at + h.window * 1000 - a.since).toBeLessThanOrEqual(60 * 60_000);
            expect(h.window).toBeLessThanOrEqual(600);
        }
        expect(keeper.report()[0]).toMatchObject({
            state: "stopped",
            reason: "maxPendingMinutes (60) reached",
        });
        expect(lines.join("\n")).toContain("warning: i-stuck: heartbeats stopped after");
        expect(lines.join("\n")).toContain(
            "maxPendingMinutes (60) reached; the hook's default result (ABANDON) applies",
        );
    });

    test("never sends more heartbeats than the policy or the cloud allows", async () => {
        const policy = setup({
            heartbeatTimeoutSeconds: 60,
            maxHeartbeats: 5,
            maxPendingMinutes: 360,
        });
        policy.hook.add("i-stuck", 10 * 3600_000);
        await policy.run(2 * 3600_000);
        expect(policy.hook.actions[0]!.heartbeats).toHaveLength(5);
        expect(policy.keeper.report()[0]!.reason).toBe("maxHeartbeats (5) reached");

        const cloud = setup({
            heartbeatTimeoutSeconds: 60,
            maxHeartbeats: 50,
            maxPendingMinutes: 360,
        });
        cloud.hook.add("i-stuck", 10 * 3600_000);
        await cloud.run(2 * 3600_000);
        expect(cloud.hook.actions[0]!.heartbeats).toHaveLength(20);
        expect(cloud.keeper.report()[0]!.reason).toBe(
            "ESS's cap of 20 heartbeats per Pending period reached",
        );
    });

    test("heartbeats are spaced by their windows, never sent more often than needed", async () => {
        const { hook, run } = setup({ heartbeatTimeoutSeconds: 600, maxPendingMinutes: 120 });
        hook.add("i-a", 100 * 60_000);
        await run(2 * 3600_000);
        const beats = hook.actions[0]!.heartbeats;
        expect(beats.length).toBeGreaterThan(3);
        for (let i = 1; i < beats.length; i++) {
            const gap = beats[i]!.at - beats[i - 1]!.at;
            expect(gap).toBeGreaterThanOrEqual(beats[i - 1]!.window * 1000 * 0.75);
            expect(gap).toBeLessThan(beats[i - 1]!.window * 1000);
        }
    });

    test("AWS: each heartbeat restarts the hook's timeout; none would pass maxPendingMinutes", async () => {
        const { hook, keeper, run } = setup(
            { heartbeatTimeoutSeconds: 300, hookTimeoutSeconds: 300, maxPendingMinutes: 12 },
            awsCaps(300),
        );
        hook.reportSince = false;
        hook.add("i-aws", 10 * 3600_000);
        await run(3600_000);
        const a = hook.actions[0]!;
        expect(a.endedBy).toBe("timeout");
        expect(a.endedAt! - a.since).toBeLessThanOrEqual(12 * 60_000);
        // Start unknown: the first heartbeat comes at first sight.
        expect(a.heartbeats[0]!.at).toBe(a.since);
        expect(a.heartbeats.every((h) => h.window === 300)).toBe(true);
        expect(keeper.report()[0]!.reason).toMatch(/^maxPendingMinutes \(12\) would be passed/);
    });

    test("a cap error stops that action's heartbeats with a warning; a throttled heartbeat is tried again", async () => {
        const refused = setup({});
        refused.hook.add("i-a", 3600_000);
        refused.hook.refuseWith = new CloudError({
            service: "ESS",
            operation: "RecordLifecycleActionHeartbeat",
            code: "LifecycleAction.RecordTimesExceeded",
            cloudMessage: "The specified lifecycleAction exceed lifecycleAction max record times.",
            httpStatus: 400,
            transient: false,
        });
        await refused.run(3600_000);
        expect(refused.hook.actions[0]!.endedBy).toBe("timeout");
        expect(refused.keeper.report()[0]!.reason).toContain("LifecycleAction.RecordTimesExceeded");
        expect(refused.lines.filter((l) => l.startsWith("warning:"))).toHaveLength(1);

        const throttled = setup({});
        throttled.hook.add("i-a", 20 * 60_000);
        throttled.hook.transientFailures = 2;
        await throttled.run(3600_000);
        expect(throttled.hook.actions[0]!.endedBy).toBe("completed");
        expect(throttled.lines.join("\n")).toContain("heartbeat answered Throttling; trying again");
    });

    test("a last look (send: false) records which actions ended and sends nothing", async () => {
        const { hook, keeper, clock } = setup({});
        hook.add("i-a", 4 * 60_000);
        await keeper.tick();
        clock.advance(5 * 60_000);
        await keeper.tick({ send: false });
        expect(hook.actions[0]!.heartbeats).toEqual([]);
        expect(keeper.report()[0]!.state).toBe("ended");
        hook.add("i-b", 60 * 60_000);
        // Its heartbeat would be due (first seen with a start a minute ago), but a look sends none.
        clock.advance(4.5 * 60_000);
        await keeper.tick({ send: false });
        expect(hook.actions[1]!.heartbeats).toEqual([]);
        expect(keeper.report()[1]!.state).toBe("pending");
    });

    test("tick asks to be called again before a new action's first window could close", async () => {
        const { keeper } = setup({ hookTimeoutSeconds: 120 });
        expect(await keeper.tick()).toBeLessThanOrEqual(60_000);
    });
});
