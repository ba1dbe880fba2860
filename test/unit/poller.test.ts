import { VirtualClock } from "../../src/core/clock";
import { estimateRemainingMs, nextPollDelay, poll, PollStep } from "../../src/core/poller";

const bounds = { minDelayMs: 2_000, maxDelayMs: 60_000, maxQuietDelayMs: 60_000 };

describe("nextPollDelay", () => {
    test("backs off geometrically from the minimum while nothing is known, up to the maximum", () => {
        const delays = [0, 1, 2, 3, 10].map((idle) =>
            nextPollDelay({ samples: [], idleObservations: idle }, bounds),
        );
        expect(delays).toEqual([2_000, 3_000, 4_500, 6_750, 60_000]);
    });

    test("halves the estimated remaining time when progress has a rate", () => {
        // 10% per minute, at 40%: 6 minutes left -> wait 3 minutes, capped at 60 s.
        const samples = [
            { at: 0, progress: 0.3 },
            { at: 60_000, progress: 0.4 },
        ];
        expect(estimateRemainingMs(samples)).toBeCloseTo(360_000);
        expect(nextPollDelay({ samples, idleObservations: 0 }, bounds)).toBe(60_000);
        // Nearly done: 2 s left -> never below the minimum.
        const end = [
            { at: 0, progress: 0 },
            { at: 99_000, progress: 0.99 },
        ];
        expect(nextPollDelay({ samples: end, idleObservations: 0 }, bounds)).toBe(2_000);
    });

    test("sleeps through a known quiet period, up to the quiet maximum", () => {
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 45_000 }, bounds),
        ).toBe(45_000);
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 3_600_000 }, bounds),
        ).toBe(60_000);
    });

    test("has no rate without progress between samples", () => {
        expect(estimateRemainingMs([{ at: 0, progress: 0.5 }])).toBeUndefined();
        expect(
            estimateRemainingMs([
                { at: 0, progress: 0.5 },
                { at: 10, progress: 0.5 },
            ]),
        ).toBeUndefined();
    });
});

describe("poll", () => {
    const steps = (values: PollStep<string>[]): (() => Promise<PollStep<string>>) => {
        let i = 0;
        return async () => values[Math.min(i++, values.length - 1)]!;
    };

    test("returns the terminal observation and counts observations", async () => {
        const clock = new VirtualClock();
        const out = await poll({
            clock,
            deadline: clock.now() + 3_600_000,
            observe: steps([
                { value: "a", done: false },
                { value: "b", done: false },
                { value: "c", done: true },
            ]),
        });
        expect(out).toEqual({ kind: "done", value: "c", observations: 3 });
        // The first observation starts a phase: the backoff starts from the minimum.
        expect(clock.sleeps).toEqual([2_000, 3_000]);
    });

    test("times out with the last observation, after a final observation at the deadline", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const out = await poll({
            clock,
            deadline: start + 10_000,
            observe: steps([{ value: "x", done: false }]),
        });
        expect(out.kind).toBe("timeout");
        expect(out.kind === "timeout" && out.last).toBe("x");
        expect(clock.now()).toBe(start + 10_000);
        expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    });

    test("tolerates transient failures and rethrows any other", async () => {
        const clock = new VirtualClock();
        let n = 0;
        const transient = Object.assign(new Error("throttled"), { transient: true });
        const seen: unknown[] = [];
        const out = await poll({
            clock,
            deadline: clock.now() + 600_000,
            isTransient: (e) => (e as { transient?: boolean }).transient === true,
            onTransientError: (e) => seen.push(e),
            observe: async () => {
                n++;
                if (n <= 2) {
                    throw transient;
                }
                return { value: "ok", done: true };
            },
        });
        expect(out.kind).toBe("done");
        expect(seen).toHaveLength(2);

        await expect(
            poll({
                clock,
                deadline: clock.now() + 600_000,
                isTransient: () => false,
                observe: async () => {
                    throw new Error("AccessDenied");
                },
            }),
        ).rejects.toThrow("AccessDenied");
    });

    test("stops when aborted", async () => {
        const clock = new VirtualClock();
        const ac = new AbortController();
        let n = 0;
        const out = await poll({
            clock,
            signal: ac.signal,
            deadline: clock.now() + 600_000,
            observe: async () => {
                if (++n === 2) {
                    ac.abort();
                }
                return { value: n, done: false };
            },
        });
        expect(out).toEqual({ kind: "aborted", last: 2, observations: 2 });
    });

    test("observes again within observeWithinMs whatever the schedule says, even after a failed observation", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        let n = 0;
        await poll({
            clock,
            deadline: start + 600_000,
            maxDelayMs: 60_000,
            maxQuietDelayMs: 300_000,
            isTransient: () => true,
            observe: async () => {
                at.push(clock.now() - start);
                n++;
                if (n === 3) {
                    throw new Error("throttled");
                }
                // A checkpoint pause would let the poller sleep 5 minutes; a duty is due in 20 s.
                return { value: n, done: n === 6, quietForMs: 300_000, observeWithinMs: 20_000 };
            },
        });
        const gaps = at.slice(1).map((t, i) => t - at[i]!);
        expect(gaps.every((g) => g <= 20_000)).toBe(true);
        expect(gaps).toHaveLength(5);
    });

    test("a due time already past does not make a failing observation loop without sleeping", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        let n = 0;
        const out = await poll({
            clock,
            deadline: start + 120_000,
            minDelayMs: 2_000,
            isTransient: () => true,
            observe: async () => {
                n++;
                if (n === 1) {
                    return { value: n, done: false, observeWithinMs: 1_000 };
                }
                throw new Error("throttled");
            },
        });
        expect(out.kind).toBe("timeout");
        // Backing off from 2 s: a couple of dozen looks in two minutes, not thousands.
        expect(out.observations).toBeLessThan(30);
        expect(clock.sleeps.every((ms) => ms > 0)).toBe(true);
    });

    test("closes in on a steady operation's end with few observations", async () => {
        // 10 minutes from 0 to 100%, observed as the fraction of elapsed time.
        const clock = new VirtualClock();
        const start = clock.now();
        const duration = 600_000;
        const out = await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const p = Math.min(1, (clock.now() - start) / duration);
                return { value: p, done: p >= 1, progress: p, phase: "InProgress" };
            },
        });
        expect(out.kind).toBe("done");
        const lag = clock.now() - (start + duration);
        expect(lag).toBeLessThanOrEqual(bounds.minDelayMs);
        // A fixed 30 s loop takes 20 observations and detects the end 15 s late on average.
        expect(out.observations).toBeLessThan(20);
    });
});
