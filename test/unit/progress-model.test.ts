import fc from "fast-check";
import {
    endWindow,
    ProgressObservation,
    regionOf,
    widthAfterProbe,
    windowOf,
} from "../../src/core/progressModel";
import { exactProgress } from "../../src/resources/awsInstanceRefresh/taskApi";

/**
 * A steady operation: `steps` equal steps of `stepMs`, `perJump` of them landing at once (whole
 * batches: a short last batch that takes a whole batch's time leaves the model, like a stall),
 * from `s0`.
 */
interface Steady {
    steps: number;
    stepMs: number;
    perJump: number;
    s0: number;
}

function levelAt(op: Steady, t: number): number {
    const jumps = Math.floor((t - op.s0) / (op.stepMs * op.perJump));
    return Math.max(0, Math.min(op.steps, jumps * op.perJump)) / op.steps;
}

function endOf(op: Steady): number {
    return op.s0 + Math.ceil(op.steps / op.perJump) * op.perJump * op.stepMs;
}

const steady = fc
    .record({
        batches: fc.integer({ min: 1, max: 30 }),
        stepMs: fc.integer({ min: 2_000, max: 120_000 }),
        perJump: fc.integer({ min: 1, max: 5 }),
        s0: fc.integer({ min: 0, max: 60_000 }),
    })
    .map(({ batches, perJump, ...rest }) => ({ steps: batches * perJump, perJump, ...rest }));
const gaps = fc.array(fc.integer({ min: 500, max: 130_000 }), { minLength: 2, maxLength: 60 });

/** Observations at the given gaps from 0, up to (not including) the end. */
function observe(op: Steady, gapsMs: number[], pct = false): ProgressObservation[] {
    const out: ProgressObservation[] = [];
    let t = 0;
    for (const g of gapsMs) {
        if (t >= endOf(op)) {
            break;
        }
        const p = levelAt(op, t);
        out.push({ at: t, progress: pct ? Math.floor(p * 100 + 1e-9) / 100 : p });
        t += g;
    }
    return out;
}

describe("endWindow", () => {
    test.each([
        { reported: "as exact fractions", pct: false, resolution: 0 },
        { reported: "in whole percentages, rounded down", pct: true, resolution: 0.01 },
    ])("the window always holds the true end of a steady operation reported $reported", (c) => {
        let bounded = 0;
        fc.assert(
            fc.property(steady, gaps, (op, g) => {
                const obs = observe(op, g, c.pct);
                for (let n = 1; n <= obs.length; n++) {
                    const w = endWindow(obs.slice(0, n), { resolution: c.resolution });
                    bounded += w && Number.isFinite(w.latest) ? 1 : 0;
                    if (w) {
                        expect(w.earliest).toBeLessThanOrEqual(endOf(op) + 1e-6);
                        expect(w.latest).toBeGreaterThanOrEqual(endOf(op) - 1e-6);
                    }
                }
            }),
            { numRuns: 300 },
        );
        expect(bounded).toBeGreaterThan(300); // the property was put to the test
    });

    test("places no end before a level above 0, nor once the level is 1 without an end", () => {
        expect(
            endWindow([
                { at: 0, progress: 0 },
                { at: 10_000, progress: 0 },
            ]),
        ).toBeUndefined();
        expect(
            endWindow([
                { at: 0, progress: 0.5 },
                { at: 10_000, progress: 1 },
            ]),
        ).toBeUndefined();
        // One step seen: no rate yet, so no latest end.
        expect(
            endWindow([
                { at: 0, progress: 0 },
                { at: 10_000, progress: 0.1 },
            ])?.latest,
        ).toBe(Infinity);
    });

    test("after a stall the old pace is dropped: the window holds the end of the new one", () => {
        // 10 % per 30 s to 50 % (150 s), stalled 15 min, then 10 % per 30 s again: ends at 1200 s.
        const level = (t: number): number =>
            t < 150_000
                ? Math.floor(t / 30_000) / 10
                : t < 1_050_000
                  ? 0.5
                  : 0.5 + Math.floor((t - 1_050_000) / 30_000) / 10;
        const obs: ProgressObservation[] = [];
        for (let t = 5_000; t < 1_200_000; t += 37_000) {
            obs.push({ at: t, progress: level(t) });
        }
        const w = endWindow(obs)!;
        expect(w.earliest).toBeLessThanOrEqual(1_200_000);
        expect(w.latest).toBeGreaterThanOrEqual(1_200_000);
    });

    test("one more look never widens the window, whatever it shows", () => {
        fc.assert(
            fc.property(steady, gaps, fc.integer({ min: 1_000, max: 120_000 }), (op, g, ahead) => {
                const obs = observe(op, g);
                const region = regionOf(obs);
                if (!region) {
                    return;
                }
                const w = windowOf(region);
                const at = obs[obs.length - 1]!.at + ahead;
                if (Number.isFinite(w.latest) && at < w.latest) {
                    expect(widthAfterProbe(region, at)).toBeLessThanOrEqual(
                        w.latest - Math.max(w.earliest, at) + 1e-6,
                    );
                }
            }),
            { numRuns: 200 },
        );
    });
});

describe("AWS progress: a whole percentage back to a fraction of instances", () => {
    test("the count left at 0 % is the total; later percentages become exact fractions", () => {
        const totals = new Map<string, number>();
        expect(exactProgress(0, 60, totals, "r")).toEqual({ progress: 0 });
        // 31 of 60 done: 51.67 % reported as 51 (rounded down).
        expect(exactProgress(51, 29, totals, "r")).toEqual({ progress: 31 / 60 });
    });

    test("without a known total, only a percentage that fits a single total is made exact", () => {
        // 29 left at 51 %: 60 (rounded down) and 59 (rounded) both fit: kept as a percentage.
        expect(exactProgress(51, 29, new Map(), "r")).toEqual({
            progress: 0.51,
            progressResolution: 0.01,
        });
        expect(exactProgress(25, 15, new Map(), "r")).toEqual({ progress: 0.25 });
        expect(exactProgress(100, 0, new Map(), "r")).toEqual({
            progress: 1,
            progressResolution: 0.01,
        });
        expect(exactProgress(40, undefined, new Map(), "r")).toEqual({
            progress: 0.4,
            progressResolution: 0.01,
        });
    });

    test("a total that no longer fits (the group changed) is forgotten", () => {
        const totals = new Map<string, number>([["r", 20]]);
        expect(exactProgress(50, 30, totals, "r").progressResolution).toBe(0.01);
        expect(totals.has("r")).toBe(false);
    });
});
