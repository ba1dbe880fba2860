/**
 * Part 1 of `npm run bench`: polling efficiency, in virtual time. Every profile runs on both
 * clouds with every strategy, at several alignments of the poll schedule against the refresh's
 * timeline (the answer latency of the calls that change a refresh), and the goals are evaluated
 * on the means.
 */
import { PREVIOUS } from "./polling/previous";
import { runOnce, type RunMetrics, type Strategy } from "./polling/measure";
import { type CloudName, SHAPES, type Shape } from "./polling/profiles";
import { fixed, LIBRARY } from "./polling/strategies";
import type { BenchPart, PartResult } from "./report";

/** Answer latencies of the state-changing calls: 0 to 27.5 s, every 2.5 s (12 alignments). */
export const ALIGNMENTS_MS = Array.from({ length: 12 }, (_, i) => i * 2_500);
/** For the short profiles: 0 to 5.5 s, every 0.5 s (12 alignments). */
export const SHORT_ALIGNMENTS_MS = Array.from({ length: 12 }, (_, i) => i * 500);

const CLOUDS: CloudName[] = ["ess", "aws"];
const FIXED_15 = fixed(15);
const FIXED_30 = fixed(30);
export const STRATEGIES: Strategy[] = [LIBRARY, FIXED_15, FIXED_30];

/** Goal thresholds. */
export const GOALS = {
    callsVsFixed30: 0.5,
    lagVsFixed15: 0.25,
    failureWithinMs: 120_000,
};

interface Stat {
    mean: number;
    min: number;
    max: number;
}

function stat(values: number[]): Stat {
    return {
        mean: values.reduce((a, b) => a + b, 0) / values.length,
        min: Math.min(...values),
        max: Math.max(...values),
    };
}

/** One profile × cloud × strategy, over every alignment. */
export interface PollingRow {
    profile: string;
    cloud: CloudName;
    strategy: string;
    runs: number;
    finalStatus: string;
    refreshSeconds: Stat;
    describeCalls: Stat;
    completionLagSeconds: Stat;
    failureLagSeconds?: Stat;
    /** Library rows (issue 5's profiles): the goals, with their ratios. */
    goals?: GoalResult[];
    /** Library rows: how the calls were spaced (mean count per run). */
    spacing?: { under15s: number; from15to59s: number; from60to119s: number; atLeast120s: number };
    /** Library rows: the mean of the last interval before the wait returned, s. */
    lastIntervalSeconds?: number;
    /** Library rows: seconds between Describe calls in the run at alignment 0. */
    trace?: number[];
}

export interface GoalResult {
    goal: "calls" | "completionLag" | "failureDetection";
    met: boolean;
    /** calls: value / fixed 30 s; completionLag: value / fixed 15 s; failure: worst lag / 120 s. */
    ratio: number;
    value: number;
    limit: number;
}

function spacingOf(runs: RunMetrics[]): PollingRow["spacing"] {
    const count = (lo: number, hi: number): number =>
        runs.reduce((n, r) => n + r.delays.filter((d) => d >= lo && d < hi).length, 0) /
        runs.length;
    return {
        under15s: count(0, 15_000),
        from15to59s: count(15_000, 60_000),
        from60to119s: count(60_000, 120_000),
        atLeast120s: count(120_000, Infinity),
    };
}

function rowOf(shape: Shape, cloud: CloudName, strategy: Strategy, runs: RunMetrics[]): PollingRow {
    const statuses = [...new Set(runs.map((r) => r.finalStatus))];
    const failures = runs
        .map((r) => r.failureLagMs)
        .filter((v): v is number => v !== undefined)
        .map((v) => v / 1000);
    return {
        profile: shape.id,
        cloud,
        strategy: strategy.id,
        runs: runs.length,
        finalStatus: statuses.join("/"),
        refreshSeconds: stat(runs.map((r) => r.refreshMs / 1000)),
        describeCalls: stat(runs.map((r) => r.describeCalls)),
        completionLagSeconds: stat(runs.map((r) => r.completionLagMs / 1000)),
        failureLagSeconds: failures.length > 0 ? stat(failures) : undefined,
    };
}

function evaluate(row: PollingRow, f15: PollingRow, f30: PollingRow, failure: boolean): void {
    const calls = row.describeCalls.mean;
    const callsLimit = GOALS.callsVsFixed30 * f30.describeCalls.mean;
    const lag = row.completionLagSeconds.mean;
    const lagLimit = GOALS.lagVsFixed15 * f15.completionLagSeconds.mean;
    const goals: GoalResult[] = [
        {
            goal: "calls",
            met: calls <= callsLimit,
            ratio: calls / f30.describeCalls.mean,
            value: calls,
            limit: callsLimit,
        },
        {
            goal: "completionLag",
            met: lag <= lagLimit,
            ratio: f15.completionLagSeconds.mean > 0 ? lag / f15.completionLagSeconds.mean : NaN,
            value: lag,
            limit: lagLimit,
        },
    ];
    if (failure) {
        const worst = row.failureLagSeconds?.max ?? Infinity;
        goals.push({
            goal: "failureDetection",
            met: worst <= GOALS.failureWithinMs / 1000,
            ratio: worst / (GOALS.failureWithinMs / 1000),
            value: worst,
            limit: GOALS.failureWithinMs / 1000,
        });
    }
    row.goals = goals;
}

/** Runs part 1. */
async function run(): Promise<PartResult<PollingRow>> {
    const rows: PollingRow[] = [];
    for (const shape of SHAPES) {
        for (const cloud of CLOUDS) {
            const byStrategy = new Map<string, PollingRow>();
            const strategies = shape.short ? [...STRATEGIES, PREVIOUS] : STRATEGIES;
            for (const strategy of strategies) {
                const runs: RunMetrics[] = [];
                for (const latency of shape.short ? SHORT_ALIGNMENTS_MS : ALIGNMENTS_MS) {
                    runs.push(await runOnce(cloud, shape, strategy, latency));
                }
                const row = rowOf(shape, cloud, strategy, runs);
                if (strategy.id === LIBRARY.id) {
                    row.spacing = spacingOf(runs);
                    row.trace = (runs[0]?.delays ?? []).map((d) => Math.round(d / 100) / 10);
                    row.lastIntervalSeconds =
                        runs.reduce((s, r) => s + (r.delays[r.delays.length - 1] ?? 0), 0) /
                        runs.length /
                        1000;
                }
                byStrategy.set(strategy.id, row);
                rows.push(row);
            }
            const f15 = byStrategy.get(FIXED_15.id);
            const f30 = byStrategy.get(FIXED_30.id);
            const row = byStrategy.get(LIBRARY.id);
            // The short profiles are not issue 5's suite: measured (lag beside the previous
            // poller's), not held to its goals.
            if (row && f15 && f30 && !shape.short) {
                evaluate(row, f15, f30, shape.failAtPercent !== undefined);
            }
        }
    }
    return { rows, markdown: markdownOf(rows) };
}

const s1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : "∞");
const s0 = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : "∞");

function goalCell(row: PollingRow, goal: GoalResult["goal"]): string {
    const g = row.goals?.find((x) => x.goal === goal);
    if (!g) {
        return "";
    }
    const ratio = Number.isFinite(g.ratio) ? `${g.ratio.toFixed(2)}×` : "n/a";
    return `${g.met ? "✓" : "✗"} ${ratio}`;
}

function tableOf(rows: PollingRow[]): string {
    const lines = [
        "| profile | cloud | strategy | final status | Describe calls mean (min–max) | completion lag s mean (max) | failure lag s mean (max) | calls ≤ 0.5 × fixed 30 s | lag ≤ 0.25 × fixed 15 s | failure ≤ 2 min |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ];
    for (const r of rows) {
        const c = r.describeCalls;
        const l = r.completionLagSeconds;
        const f = r.failureLagSeconds;
        lines.push(
            `| ${r.profile} | ${r.cloud} | ${r.strategy} | ${r.finalStatus} | ` +
                `${s1(c.mean)} (${s0(c.min)}–${s0(c.max)}) | ${s1(l.mean)} (${s1(l.max)}) | ` +
                `${f ? `${s1(f.mean)} (${s1(f.max)})` : ""} | ${goalCell(r, "calls")} | ` +
                `${goalCell(r, "completionLag")} | ${goalCell(r, "failureDetection")} |`,
        );
    }
    return lines.join("\n");
}

function missesOf(rows: PollingRow[], strategy: string): string {
    const out: string[] = [];
    for (const r of rows.filter((x) => x.strategy === strategy)) {
        for (const g of r.goals ?? []) {
            if (g.met) {
                continue;
            }
            const sp = r.spacing;
            const spacing = sp
                ? `intervals per run: ${s1(sp.under15s)} under 15 s, ${s1(sp.from15to59s)} of 15–59 s, ` +
                  `${s1(sp.from60to119s)} of 60–119 s, ${s1(sp.atLeast120s)} of 120 s or more`
                : "";
            const last = `the last interval before the wait returned averaged ${s1(r.lastIntervalSeconds ?? NaN)} s`;
            let text: string;
            switch (g.goal) {
                case "calls":
                    text =
                        `${s1(g.value)} calls vs a limit of ${s1(g.limit)} (${g.ratio.toFixed(2)}× the ` +
                        `30 s loop, ${s1(g.value - g.limit)} too many); ${spacing}`;
                    break;
                case "completionLag":
                    text =
                        `${s1(g.value)} s vs a limit of ${s1(g.limit)} s (` +
                        `${Number.isFinite(g.ratio) ? `${g.ratio.toFixed(2)}×` : "n/a"} the 15 s loop's lag); ${last}`;
                    break;
                case "failureDetection":
                    text = `worst ${s1(g.value)} s vs 120 s`;
                    break;
            }
            out.push(`- **${r.profile} / ${r.cloud} / ${g.goal}**: ${text}.`);
        }
    }
    return out.length > 0 ? out.join("\n") : "- none";
}

function tracesOf(rows: PollingRow[], strategy: string): string {
    return rows
        .filter((r) => r.strategy === strategy)
        .map((r) => `- ${r.profile} / ${r.cloud}: ${(r.trace ?? []).join(", ")}`)
        .join("\n");
}

/** The mechanisms behind the misses, as the traces show them. */
const WHY = [
    "- **Describe calls: the start-up ramp and the closing in cost more than the 120 s cap saves " +
        "on short waits.** The cap alone allows the goal (a 10-minute refresh is 5 intervals of " +
        "120 s against a budget of 10.5 calls), but every wait begins with at most half the time " +
        "waited (2, 2, 2, 3, 4.5, 6.8, 10, 15 s: ~8 calls in the first minute) so that a refresh of " +
        "seconds is seen ending promptly (see Short refreshes), and the ramp comes again for the " +
        "rollback wait. The prototype without it (10 s, 20 s … from the first observation, " +
        "measured in the previous run of this bench) took 16.1 calls on steady-10m but saw the " +
        "short refreshes end 3.4 s late on average (up to 9.5 s) instead of 0.6–1.1 s. The calls goal is " +
        "met only where the refresh is long enough for the cap to dominate (steady-60m, AWS " +
        "checkpoints) and missed by 0.2 calls on ESS checkpoints.",
    "- **Completion lag: the end is predicted from jumps dated at the earliest, so it errs early " +
        "by up to one interval, and closing in doubles.** On a staircase observed every 120 s the " +
        "last jump's date is uncertain by up to 120 s; when the prediction is early, 2, 4, 8, 16 … " +
        "s overshoots the real end by up to the last step (steady-60m ends with 2, 4, 8, 16, 32 s; " +
        "batched with 150 s batches, max lag 96 s). Where the prediction is right (steady-10m) the " +
        "lag is 1.3 s, within the goal. The 15 s loop's lag is 7.8 s, so the goal (≤ 1.9 s) " +
        "leaves almost no room for a wrong prediction.",
    "- **A stall is not predictable.** A 15-minute lifecycle hook on one batch invalidates the " +
        "rate; the backoff reaches the 120 s cap during the stall and the jumps after it start a " +
        "new estimate late, so the end is again approached by closing in.",
    "- **AWS checkpoints: the last batch after the last pause ends after a 120 s interval.** The " +
        "pause is slept through (600 s, one call), but the rate before it is dropped (a pause " +
        "breaks the line), so the last stretch has too few jumps for a prediction before the end.",
    "- **Failures cannot be predicted.** For fail-10 (fails 61 s in) the call goal allows 1.5 " +
        "calls and the lag goal ~2 s: no schedule meets both for an event it cannot foresee. Every " +
        "failure is seen within 2 min (the 120 s cap), as the goal asks.",
    "- **Tried and rejected (measured):** aiming at the latest end consistent with one line " +
        "through the staircase's corners (every observation bounding it) cut calls (steady-10m " +
        "16.6, batched 19.0) but raised the lag several times over (steady-10m 11.8 s, batched " +
        "70 s): with 120 s intervals the feasible window stays tens of seconds wide. A start-up " +
        "ramp of the whole time waited (doubling) instead of half saved ~3 calls per wait but " +
        "doubled the short refreshes' lag and made the long profiles' lag erratic.",
].join("\n");

/** The short profiles, read beside the previous poller. */
const SHORT =
    "Refreshes of seconds (the e2e tests' and the demo's) are measured, not held to the goals (the " +
    "fixed loops make 2–3 calls there). The `previous` row is the poller before this change. The " +
    "start-up ramp keeps the first delays at 2, 2, 2, 3, 4.5 … s (at most half the time waited), " +
    "so the new poller sees these refreshes end as promptly as before, for a call or two more; the " +
    "prototype's 10 s-first backoff alone saw them end 3.4 s late on average, up to 9.5 s.";

function markdownOf(rows: PollingRow[]): string {
    const strategies = [...STRATEGIES, PREVIOUS]
        .map((s) => `- **${s.id}**: ${s.description}.`)
        .join("\n");
    const profiles = SHAPES.map((s) => `- **${s.id}**: ${s.title}.`).join("\n");
    return [
        "## Part 1: polling efficiency (virtual time)",
        "",
        "Each profile is a sandbox scenario (the ESS and Auto Scaling refresh engines, driven in " +
            "process through the sandbox's own action handlers) and the resource arguments a user " +
            "would write, turned into the runner's task API and policy by the resources' own specs " +
            "(`validate` → `taskApi` → `policyOf`). The wait is the product's `runRefresh` → `poll`, " +
            "and each Describe answer goes through the library's own mapping (`refreshTaskFromWire` / " +
            "`fromPascal`, then `snapshotOf` / `asgSnapshotOf`, then the runner's observation). One " +
            "virtual clock is read by the poller and the engines; sleeping advances it. Only HTTP, " +
            "signatures and the SDKs' (de)serialization are skipped.",
        "",
        `Every row is the mean over ${ALIGNMENTS_MS.length} runs in which the calls that change a refresh ` +
            "(Start, Rollback) answer after 0, 2.5, … 27.5 s, so the poll schedule meets the refresh's " +
            "timeline at different phases (a single alignment makes a fixed loop's lag an accident of " +
            "arithmetic). Completion lag: the engine reaching the terminal status the wait ends on → " +
            "the wait returning. Failure lag: the failure in the engine (Failed, or the start of an AWS " +
            "automatic rollback) → the first Describe showing it. Times inside the engines are taken " +
            "exactly (the bench wraps their transition methods); the engines' own timestamps have " +
            "one-second precision only.",
        "",
        "Strategies:",
        "",
        strategies,
        "",
        "Profiles (both clouds; ESS checkpoints are CheckpointPause with CheckpointPauseTime, AWS " +
            "checkpoints are CheckpointPercentages with CheckpointDelay, the stall is a lifecycle " +
            "hook holding one batch's new instance on both):",
        "",
        profiles,
        "",
        "Goals (evaluated for the library, on issue 5's profiles: not on the short ones): Describe calls ≤ 0.5 × the fixed 30 s " +
            "loop's; completion lag ≤ 0.25 × the fixed 15 s loop's; for failure profiles, every " +
            "failure detected within 2 min.",
        "",
        tableOf(rows),
        "",
        "### Goals the library misses",
        "",
        missesOf(rows, LIBRARY.id),
        "",
        "### Why (read from the traces below)",
        "",
        WHY,
        "",
        "Seconds between Describe calls, library, alignment 0:",
        "",
        tracesOf(rows, LIBRARY.id),
        "",
        "### Short refreshes",
        "",
        SHORT,
    ].join("\n");
}

export const pollingPart: BenchPart<PollingRow> = {
    name: "polling",
    title: "polling efficiency (virtual time)",
    run,
};
