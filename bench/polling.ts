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
    "- **How the library waits.** Every observation bounds when the refresh can end: the level it " +
        "shows was reached by then, the next step was not, the end had not come " +
        "(`src/core/progressModel.ts`: a steady pace, one step of progress at a time, solved as a " +
        "small linear program). While the end cannot come within 120 s, each look is placed where " +
        "its answer narrows that window most (looks 120 s apart in step with the batches would " +
        "learn nothing); once the window is 3 s wide, one look just after it sees the end. That is " +
        "why the lag goal is now met wherever the pace is steady (steady-10m, steady-60m, " +
        "checkpoints, the end of the stall, the ESS rollback).",
    "- **Describe calls on 10-minute waits: the start-up ramp and the 120 s cap leave no room.** " +
        "The budget is 10.5 calls. Every wait begins 2, 2, 4, 8, 16 … s (at most the time waited) so " +
        "that a refresh of seconds is seen ending within seconds (see Short refreshes): 5 calls " +
        "before the first step of a 30 s batch is even due. Seeing a failure within 2 minutes " +
        "needs a look at least every 120 s: 5 more over 10 minutes. What is left is less than the " +
        "one or two looks that pin the end. The calls goal is met where the refresh is long enough " +
        "(steady-60m, checkpoints); steady-10m misses it by about 5 calls.",
    "- **Batched steps: four jumps are too few to pin the end.** With 150 s batches the window " +
        "stays tens of seconds wide until the end; inside it the library looks 30 % in, at most " +
        "15 s at a time, so the lag (6.3 s) is below the 15 s loop's (7.8 s) for half the 30 s " +
        "loop's calls, but not a quarter of it.",
    "- **Stall: the extra calls are the relearning.** A 15-minute hook breaks the pace; the looks " +
        "during it back off to the 120 s cap, and after it the old observations contradict the new " +
        "ones and are dropped, so a new pace is learned from a few quick looks (about 3 calls over " +
        "the budget). The end after the stall is seen within 1.7 s.",
    "- **Failures cannot be predicted.** For fail-10 (fails 61 s in) the call goal allows 1.5 " +
        "calls and the lag goal ~2 s: no schedule meets both for an event it cannot foresee. Every " +
        "failure is seen within 2 min (the 120 s cap), as the goal asks. The rollback wait begins " +
        "without a ramp (it counts from the wait on the refresh), but its calls still include the " +
        "refresh's own until the failure.",
].join("\n");

/** The short profiles, read beside the previous poller. */
const SHORT =
    "Refreshes of seconds (the e2e tests' and the demo's) are measured, not held to the goals (the " +
    "fixed loops make 2–3 calls there). The `previous` row is the first poller of this library. " +
    "The start-up ramp keeps the first delays at 2, 2, 4, 8 … s (at most the time waited), so " +
    "these refreshes are seen ending within about a second, as before.";

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
