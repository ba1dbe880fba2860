import { VirtualClock } from "../../src/core/clock";
import {
    DEFAULT_MAX_DELAY_MS,
    DEFAULT_MAX_QUIET_DELAY_MS,
    DEFAULT_MIN_DELAY_MS,
    estimateRemainingMs,
    nextPollDelay,
    poll,
    PollOptions,
    PollStep,
    predictEndAt,
} from "../../src/core/poller";
import { endWindow } from "../../src/core/progressModel";

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

    test("at the start of a wait, at most the time waited (at least the minimum)", () => {
        const at = (elapsedMs: number): number =>
            nextPollDelay({ samples: [], idleObservations: 0, elapsedMs }, bounds);
        expect([0, 2_000, 6_000, 9_000, 60_000].map(at)).toEqual([
            2_000, 2_000, 6_000, 9_000, 10_000,
        ]);
    });

    // A steady operation: 10 % every 60 s, from 0 at t = 0 to the end at 600 s, observed 1 s
    // either side of each step up to 90 %: the model pins the end within a few seconds.
    const pinned = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((k) => [
        { at: k * 60_000 + 1_000, progress: k / 10 },
        { at: (k + 1) * 60_000 - 1_000, progress: k / 10 },
    ]);
    pinned.pop(); // last seen at 541 s, at 90 %

    test("aims just after the latest end the observations allow, once that is within 3 s", () => {
        const w = endWindow(pinned)!;
        expect(w.earliest).toBeLessThanOrEqual(600_000);
        expect(w.latest).toBeGreaterThanOrEqual(600_000);
        expect(w.latest - w.earliest).toBeLessThanOrEqual(3_000);
        expect(predictEndAt(pinned)).toBe(w.latest);
        expect(estimateRemainingMs(pinned)).toBeCloseTo(w.latest - 541_000);
        const delay = nextPollDelay({ samples: pinned, idleObservations: 0, now: 541_000 }, bounds);
        expect(541_000 + delay).toBe(Math.round(w.latest) + 250);
    });

    test("never sleeps past the moving cap while the end is far", () => {
        const early = pinned.slice(0, 6); // up to 20 % at 179 s
        expect(endWindow(early)!.latest).toBeGreaterThan(179_000 + 120_000);
        expect(
            nextPollDelay({ samples: early, idleObservations: 0, now: 179_000 }, bounds),
        ).toBeLessThanOrEqual(120_000);
    });

    test("closes in with 2, 4, 8 … s once overdue (seen past the latest end allowed)", () => {
        const overdue = [1, 2, 3].map((n) =>
            nextPollDelay(
                {
                    samples: pinned,
                    idleObservations: n,
                    now: 603_000,
                    overdueObservations: n,
                    overdueSince: 602_000,
                },
                bounds,
            ),
        );
        expect(overdue).toEqual([4_000, 8_000, 15_000]);
    });

    test("once overdue, a delay is at most 15 s or half the lateness, whichever is more", () => {
        const at = (now: number, n: number): number =>
            nextPollDelay(
                {
                    samples: pinned,
                    idleObservations: n,
                    now,
                    overdueObservations: n,
                    overdueSince: 600_000,
                },
                bounds,
            );
        // 10 s late after 5 looks: not 64 s but 15 s (an end a little late is seen soon).
        expect(at(610_000, 5)).toBe(15_000);
        // 60 s late: half of it.
        expect(at(660_000, 5)).toBe(30_000);
        // 10 minutes late (a stall): the moving cap.
        expect(at(1_200_000, 8)).toBe(120_000);
    });

    test("sleeps through what is left of a known quiet period, up to the quiet maximum", () => {
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 45_000 }, bounds),
        ).toBe(46_000);
        expect(
            nextPollDelay({ samples: [], idleObservations: 0, quietForMs: 3_600_000 }, bounds),
        ).toBe(120_000);
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

    /**
     * Polls on a virtual clock for up to `forMs`: `look` gets the time since the start (ms) and the
     * look's number (from 1); every look's time is kept, and the gaps between them.
     */
    async function pollLooks<T>(
        look: (t: number, n: number) => PollStep<T>,
        opts: Omit<PollOptions<T>, "observe" | "clock" | "deadline"> & { forMs: number },
    ) {
        const clock = new VirtualClock();
        const start = clock.now();
        const at: number[] = [];
        const { forMs, ...rest } = opts;
        const out = await poll<T>({
            ...rest,
            clock,
            deadline: start + forMs,
            observe: async () => {
                const t = clock.now() - start;
                at.push(t);
                return look(t, at.length);
            },
        });
        const gaps = at.slice(1).map((x, i) => x - at[i]!);
        return { out, at, gaps, clock, start };
    }

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
        // At the start of a wait the delays stay short: the time waited, at least 2 s.
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
        const { gaps } = await pollLooks(
            (_t, n) => {
                if (n === 3) {
                    throw new Error("throttled");
                }
                // A checkpoint pause would let the poller sleep 5 minutes; a duty is due in 20 s.
                return { value: n, done: n === 6, quietForMs: 300_000, observeWithinMs: 20_000 };
            },
            {
                forMs: 600_000,
                maxDelayMs: 60_000,
                maxQuietDelayMs: 300_000,
                isTransient: () => true,
            },
        );
        expect(gaps.every((g) => g <= 20_000)).toBe(true);
        expect(gaps).toHaveLength(5);
    });

    test("a duty still owed after a failed look is tried again within seconds", async () => {
        const { gaps } = await pollLooks(
            (t, n) => {
                if (n === 3) {
                    throw new Error("throttled"); // the look when the duty is due fails
                }
                return { value: t, done: n === 5, observeWithinMs: 50_000 };
            },
            { forMs: 600_000, isTransient: () => true },
        );
        expect(gaps[2]).toBeLessThanOrEqual(4_000);
        expect(gaps.every((g) => g <= 50_000)).toBe(true);
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
        // The duty is retried no sooner than the minimum delay: at most one look per 2 s, not
        // thousands.
        expect(out.observations).toBeLessThanOrEqual(62);
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
    test("the defaults: 2 s minimum, 120 s moving cap, 120 s quiet cap", () => {
        expect([DEFAULT_MIN_DELAY_MS, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_QUIET_DELAY_MS]).toEqual([
            2_000, 120_000, 120_000,
        ]);
    });

    test("lands just after the end of a batched refresh predicted from its jumps", async () => {
        // 20 % jumps every 100 s from t = 0; the end (100 %) at 500 s.
        const { out, gaps, clock, start } = await pollLooks(
            (t) => {
                const p = Math.min(1, Math.floor(t / 100_000) * 0.2);
                return { value: p, done: p >= 1, progress: p, phase: "InProgress" };
            },
            { forMs: 3_600_000 },
        );
        expect(out.kind).toBe("done");
        const lag = clock.now() - (start + 500_000);
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThanOrEqual(5_000);
        // A fixed 15 s loop takes 34 observations (and is up to 15 s late); the start-up ramp
        // (2, 2, 4, 8 … s) accounts for about 7 of these.
        expect(out.observations).toBeLessThan(25);
        expect(Math.max(...gaps)).toBeLessThanOrEqual(120_000);
    });

    test("a stall after the pace broke is not polled every few seconds", async () => {
        // 10 instances: one a minute up to 5, three more at once at 6.5 min, then stuck an hour.
        const { out, at, clock, start } = await pollLooks(
            (t) => {
                const done = Math.min(5, Math.floor(t / 60_000)) + (t >= 390_000 ? 3 : 0);
                const end = t >= 390_000 + 3_600_000;
                return { value: t, done: end, progress: done / 10, phase: "InProgress" };
            },
            { forMs: 4 * 3_600_000 },
        );
        expect(out.kind).toBe("done");
        const inStall = at.filter((t) => t > 450_000 && t < 390_000 + 3_600_000);
        // Closing in on the end the pace allowed (about 15 looks), then growing to the 120 s cap:
        // about 45 looks in the hour, not hundreds.
        expect(inStall.length).toBeLessThan(50);
        expect(inStall.filter((t, i) => i > 0 && t - inStall[i - 1]! < 15_000).length).toBeLessThan(
            15,
        );
        expect(clock.now() - (start + 390_000 + 3_600_000)).toBeLessThanOrEqual(120_000);
    });

    test("without progress, an expected end is looked at just after it, then closed in on", async () => {
        const clock0 = new VirtualClock().now(); // pollLooks' clock starts at the same instant
        const { out, at } = await pollLooks(
            // Expected at 60 s, done at 70 s.
            (t) => ({ value: t, done: t >= 70_000, phase: "Processing" }),
            { forMs: 3_600_000, expectedDoneAt: clock0 + 60_000 },
        );
        expect(out.kind).toBe("done");
        expect(at).toEqual([0, 60_250, 64_250, 72_250]);
    });

    test("sleeps through a pause in delays of at most 2 minutes, timed from when it was first seen", async () => {
        const { at } = await pollLooks(
            (t) =>
                // Paused for 5 minutes from t = 0 (announced the whole time), then done.
                t >= 300_000
                    ? { value: t, done: true }
                    : { value: t, done: false, phase: "CheckpointPause", quietForMs: 300_000 },
            { forMs: 3_600_000 },
        );
        expect(at).toEqual([0, 120_000, 240_000, 301_000]);
    });

    test("a resume, cancel or failure during an hour-long pause is seen within 2 minutes", async () => {
        // An hour's checkpoint pause, announced the whole time, ended by the user after 17.5 min.
        const clock = new VirtualClock();
        const start = clock.now();
        const out = await poll({
            clock,
            deadline: start + 3_600_000,
            observe: async () => {
                const t = clock.now() - start;
                return {
                    value: t,
                    done: t >= 1_050_000,
                    phase: "CheckpointPause",
                    quietForMs: 3_600_000,
                };
            },
        });
        expect(out.kind).toBe("done");
        expect(new Set(clock.sleeps)).toEqual(new Set([120_000]));
        expect(clock.now() - (start + 1_050_000)).toBeLessThanOrEqual(120_000);
        expect(out.observations).toBe(10);
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
