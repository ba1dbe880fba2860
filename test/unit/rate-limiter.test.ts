import { VirtualClock } from "../../src/core/clock";
import {
    BACKGROUND_MAX_WAIT_MS,
    currentPriority,
    DEFAULT_MAX_RPS,
    inBackground,
    maxRpsFromEnv,
    RateLimiter,
    RateLimiterRegistry,
} from "../../src/core/rateLimiter";

/** Start times (ms after t0) of `n` concurrent requests sent as fast as the limiter lets them. */
async function sendTimes(limiter: RateLimiter, clock: VirtualClock, n: number): Promise<number[]> {
    const t0 = clock.now();
    return Promise.all(
        Array.from({ length: n }, () => limiter.acquire().then(() => clock.now() - t0)),
    );
}

test("a full bucket lets a burst go at once, then spaces requests at the rate", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, clock });
    const times = await sendTimes(limiter, clock, 15);
    expect(times.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(times.slice(10)).toEqual([100, 200, 300, 400, 500]);
});

test("over any window, no more than burst + rate x seconds requests start", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 5, burst: 2, clock });
    const times = await sendTimes(limiter, clock, 50);
    for (const start of times) {
        const inWindow = times.filter((t) => t >= start && t < start + 1000).length;
        expect(inWindow).toBeLessThanOrEqual(2 + 5);
    }
    // 50 requests at 5/s after a burst of 2: the last goes at 48 / 5 s.
    expect(times[49]).toBe(9600);
});

test("tokens refill with time, up to the burst", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3, clock });
    expect(await sendTimes(limiter, clock, 4)).toEqual([0, 0, 0, 100]);
    await clock.sleep(10_000);
    expect(await sendTimes(limiter, clock, 4)).toEqual([0, 0, 0, 100]);
});

test("acquire sleeps on the injected clock for its reservation", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 1, clock });
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.sleeps).toEqual([500, 500]);
    expect(limiter.counters()).toMatchObject({ granted: 3, throttled: 0, waitedMs: 1000 });
});

test("a throttling answer halves the rate and empties the bucket; the rate climbs back linearly", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, recoveryPerSecond: 1, clock });
    limiter.onThrottle();
    expect(limiter.rate()).toBe(5);
    // Empty bucket at about 5/s: the next request waits about 200 ms.
    const [t] = await sendTimes(limiter, clock, 1);
    expect(t).toBeGreaterThanOrEqual(190);
    expect(t).toBeLessThanOrEqual(200);
    await clock.sleep(1_800);
    expect(limiter.rate()).toBeCloseTo(7);
    await clock.sleep(10_000);
    expect(limiter.rate()).toBe(10);
});

test("throttling answers within the cooldown count once; later ones halve again, down to the floor", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({
        ratePerSecond: 16,
        minRatePerSecond: 2,
        recoveryPerSecond: 0,
        decreaseCooldownMs: 1000,
        clock,
    });
    for (let i = 0; i < 20; i++) {
        limiter.onThrottle();
    }
    expect(limiter.rate()).toBe(8);
    for (let i = 0; i < 5; i++) {
        await clock.sleep(1000);
        limiter.onThrottle();
    }
    expect(limiter.rate()).toBe(2);
    expect(limiter.counters().throttled).toBe(25);
});

test("a throttling answer slows the callers already waiting, and the climb back lets no burst go", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, recoveryPerSecond: 1, clock });
    const t0 = clock.now();
    let throttledAt = -1;
    let granted = 0;
    const times = await Promise.all(
        Array.from({ length: 200 }, () =>
            limiter.acquire().then(() => {
                const t = clock.now() - t0;
                if (++granted === 50) {
                    limiter.onThrottle(); // the 50th answer is a throttling one
                    throttledAt = t;
                }
                return t;
            }),
        ),
    );
    // In the second after the answer, the 150 callers already waiting go at about 5/s, not 10/s.
    const next = times.filter((t) => t > throttledAt && t <= throttledAt + 1000);
    expect(next.length).toBeLessThanOrEqual(6);
    // Never more than the burst plus a second's worth at the full rate in any second.
    for (const start of times) {
        expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(20);
    }
    // Whoever came first goes first.
    expect(times).toEqual([...times].sort((a, b) => a - b));
});

test("callers that act go before the looks of a wait already queued", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 1, clock });
    const order: string[] = [];
    const go = (name: string, background: boolean): Promise<void> => {
        const take = (): Promise<void> => limiter.acquire();
        return (background ? inBackground(take) : take()).then(() => {
            order.push(name);
        });
    };
    await Promise.all([
        go("look-1", true),
        go("look-2", true),
        go("look-3", true),
        go("start-1", false),
        go("start-2", false),
    ]);
    // look-1 took the only token at once; the starts overtook the looks still waiting.
    expect(order).toEqual(["look-1", "start-1", "start-2", "look-2", "look-3"]);
    expect(currentPriority()).toBe("foreground");
    expect(await inBackground(async () => currentPriority())).toBe("background");
});

test("a look of a wait is delayed by callers that act, never starved by them", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 1, clock });
    await limiter.acquire(); // the bucket is empty: everyone waits
    const t0 = clock.now();
    let lookAt: number | undefined;
    const look = inBackground(() => limiter.acquire()).then(() => {
        lookAt = clock.now() - t0;
    });
    // 30 callers that act, each asking again as soon as it is served, for a minute.
    const actors = Array.from({ length: 30 }, async () => {
        while (clock.now() - t0 < 60_000) {
            await limiter.acquire();
        }
    });
    await Promise.all([look, ...actors]);
    expect(lookAt).toBeDefined();
    expect(lookAt!).toBeGreaterThanOrEqual(BACKGROUND_MAX_WAIT_MS);
    expect(lookAt!).toBeLessThanOrEqual(BACKGROUND_MAX_WAIT_MS + 200);
});

test("a caller that gives up waiting leaves the queue", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, clock });
    await limiter.acquire();
    const ac = new AbortController();
    const gaveUp = limiter.acquire(ac.signal);
    ac.abort();
    await expect(gaveUp).rejects.toThrow("aborted");
    expect(limiter.waiting()).toBe(0);
});

test("the registry keeps one limiter per endpoint and access key", () => {
    const registry = new RateLimiterRegistry(() => new RateLimiter({ ratePerSecond: 1 }));
    const a = registry.get("http://127.0.0.1:1000", "AK1");
    expect(registry.get("HTTP://127.0.0.1:1000", "AK1")).toBe(a);
    expect(registry.get("http://127.0.0.1:1000", "AK2")).not.toBe(a);
    expect(registry.get("http://127.0.0.1:1001", "AK1")).not.toBe(a);
    expect(registry.size()).toBe(3);
});

test("the rate comes from PULUMI_ROLLOUT_MAX_RPS, else the default; a bad value is refused", () => {
    expect(maxRpsFromEnv({})).toBe(DEFAULT_MAX_RPS);
    expect(maxRpsFromEnv({ PULUMI_ROLLOUT_MAX_RPS: "2.5" })).toBe(2.5);
    expect(() => maxRpsFromEnv({ PULUMI_ROLLOUT_MAX_RPS: "0" })).toThrow(/PULUMI_ROLLOUT_MAX_RPS/);
    expect(() => maxRpsFromEnv({ PULUMI_ROLLOUT_MAX_RPS: "fast" })).toThrow(/positive number/);
    expect(() => new RateLimiter({ ratePerSecond: 0 })).toThrow(RangeError);
});
