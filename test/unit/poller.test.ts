import { VirtualClock } from "../../src/core/clock";
import {
    DEFAULT_MAX_DELAY_MS,
    DEFAULT_MAX_QUIET_DELAY_MS,
    DEFAULT_MIN_DELAY_MS,
    estimateRemainingMs,
    nextPollDelay,
    poll,
    PollStep,
    predictEndAt,
} from "../../src/core/poller";

const bounds = {
    minDelayMs: DEFAULT_MIN_DELAY_MS,
    maxDelayMs: DEFAULT_MAX_DELAY_MS,
    maxQuietDelayMs: DEFAULT_MAX_QUIET_DELAY_MS,
};

describe("nextPollDelay", () => {
    test("without a rate backs off from 10 s, doubling, up to the 120 s cap", () => {
        const delays = [0, 1, 2, 3, 10].map((idle) =>
            nextPollDelay({ samples: [], idleObservations: idle }, bounds),
        );
        expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 120_000]);
    });

    test("at the start of a wait, at most half the time waited (at least the minimum)", () => {
        const at = (elapsedMs: number): number =>
            nextPollDelay({ samples: [], idleObservations: 0, elapsedMs }, bounds);
        expect([0, 2_000, 6_000, 9_000, 60_000].map(at)).toEqual([
            2_000, 2_000, 3_000, 4_500, 10_000,
        ]);
    });

    test("aims just after the end predicted from the progress jumps", () => {
        // Jumps of 10 % every 60 s, each dated at the observation before it: the last at 40 %.
        const samples = [
            { at: 0, progress: 0.3 },
            { at: 60_000, progress: 0.4 },
        ];
        expect(predictEndAt(samples)).toBeCloseTo(420_000);
        expect(estimateRemainingMs(samples)).toBeCloseTo(360_000);
        // 6 minutes left: capped at 120 s.
        expect(nextPollDelay({ samples, idleObservations: 0, now: 60_000 }, bounds)).toBe(120_000);
        // 20 s before the predicted end: 1 s after it.
        expect(nextPollDelay({ samples, idleObservations: 3, now: 400_000 }, bounds)).toBe(21_000);
    });

    test("closes in with 2, 4, 8 … s once the predicted end is overdue", () => {
        const samples = [
            { at: 0, progress: 0.5 },
            { at: 60_000, progress: 0.75 },
        ];
        const overdue = [0, 1, 2, 3].map((n) =>
            nextPollDelay(
                { samples, idleObservations: n, now: 200_000, overdueObservations: n },
                bounds,
            ),
        );
        expect(overdue).toEqual([2_000, 4_000, 8_000, 16_000]);
    });

    test("once overdue, a delay is at most 15 s or half the lateness, whichever is more", () => {
        const samples = [
            { at: 0, progress: 0.5 },
            { at: 60_000, progress: 0.75 },
        ]; // predicted end: 120 s, looked for at 121 s
        const at = (now: number, n: number): number =>
            nextPollDelay({ samples, idleObservations: n, now, overdueObservations: n }, bounds);
        // 10 s late after 5 looks: not 64 s but 15 s (a refresh a little late is seen soon).
        expect(at(131_000, 5)).toBe(15_000);
        // 60 s late: half of it.
        expect(at(181_000, 5)).toBe(30_000);
        // 10 minutes late (a stall): the moving cap.
        expect(at(721_000, 8)).toBe(120_000);
    });

    test("sleeps through what is left of a known quiet period, up to the quiet maximum", () => {
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 45_000 }, bounds),
        ).toBe(46_000);
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 3_600_000 }, bounds),
        ).toBe(600_000);
    });

    test("has no rate without two rising jumps", () => {
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
        // At the start of a wait the delays stay short: half the time waited, at least 2 s.
        expect(clock.sleeps).toEqual([2_000, 2_000]);
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
    test("the defaults: 2 s minimum, 120 s moving cap, 10 min quiet cap", () => {
        expect([DEFAULT_MIN_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_QUIET_DELAY_MS]).toEqual([
            2_000, 120_000, 600_000,
        ]);
    });

    test("lands just after the end of a batched refresh predicted from its jumps", async () => {
        // 20 % jumps every 100 s from t = 0; the end (100 %) at 500 s.
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        const out = await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const t = clock.now() - start;
                at.push(t);
                const p = Math.min(1, Math.floor(t / 100_000) * 0.2);
                return { value: p, done: p >= 1, progress: p, phase: "InProgress" };
            },
        });
        expect(out.kind).toBe("done");
        const lag = clock.now() - (start + 500_000);
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThanOrEqual(5_000);
        // A fixed 15 s loop takes 34 observations (and is up to 15 s late); the start-up ramp
        // (2, 2, 2, 3, 4.5 … s) accounts for about 8 of these.
        expect(out.observations).toBeLessThan(25);
        expect(Math.max(...at.slice(1).map((t, i) => t - at[i]!))).toBeLessThanOrEqual(120_000);
    });

    test("sleeps through a pause in one delay, timed from when it was first seen", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const t = clock.now() - start;
                at.push(t);
                // Paused for 5 minutes from t = 0 (announced the whole time), then done.
                if (t >= 300_000) {
                    return { value: t, done: true };
                }
                return { value: t, done: false, phase: "CheckpointPause", quietForMs: 300_000 };
            },
        });
        expect(at).toEqual([0, 301_000]);
    });

    test("a pause longer than the quiet cap costs one observation per 10 minutes", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const out = await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const t = clock.now() - start;
                return {
                    value: t,
                    done: t >= 1_800_000,
                    phase: "CheckpointPause",
                    quietForMs: 3_600_000,
                };
            },
        });
        expect(clock.sleeps).toEqual([600_000, 600_000, 600_000]);
        expect(out.observations).toBe(4);
    });

    test("a failure of a moving operation is seen within 2 minutes", async () => {
        // Rises 5 % every 30 s, then fails at some point: every delay in between is ≤ 120 s.
        for (const failAt of [95_000, 301_000, 777_000]) {
            const clock = new VirtualClock();
            const start = clock.now();
            const out = await poll({
                clock,
                deadline: start + 3_600_000,
                observe: async () => {
                    const t = clock.now() - start;
                    if (t >= failAt) {
                        return { value: "Failed", done: true };
                    }
                    const p = Math.min(0.95, Math.floor(t / 30_000) * 0.05);
                    return { value: "InProgress", done: false, progress: p, phase: "InProgress" };
                },
            });
            expect(out.kind).toBe("done");
            expect(clock.now() - (start + failAt)).toBeLessThanOrEqual(120_000);
        }
    });

    test("a rollback whose progress rises gets a rate like a refresh", async () => {
        const clock = new VirtualClock();
        const start = clock.now();
        const out = await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const p = Math.min(1, Math.floor((clock.now() - start) / 30_000) * 0.1);
                return { value: p, done: p >= 1, progress: p, phase: "RollbackInProgress" };
            },
        });
        expect(out.kind).toBe("done");
        expect(clock.now() - (start + 300_000)).toBeLessThanOrEqual(10_000);
        expect(out.observations).toBeLessThan(20);
    });
});
