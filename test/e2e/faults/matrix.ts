/**
 * The fault matrix: each row is a fault, the resources it applies to, and its expected outcome.
 * Every row runs with the real Pulumi CLI against the simulators, and every row asserts the same
 * invariants besides its own outcome:
 * - no operation is started twice for one intended change;
 * - the state file stays valid and tells the truth (ids and statuses the cloud has);
 * - the next `pulumi up` converges;
 * - no secret appears in state or output;
 * - the provider never retries a 4xx in a loop.
 * Each file prints its figures (rows run, passed, by fault class) when it ends, and writes them to
 * $PULUMI_ROLLOUT_FAULT_REPORT/<file>.json when that is set (scripts/fault-report.js sums them).
 */
import * as fs from "fs";
import * as path from "path";
import { type CliRun, type RunOptions, waitFor } from "../harness";
import { SECRETS, type Setup, target, type Target, type TargetKind } from "./targets";

/** What a row's steps can do. */
export interface RowContext {
    readonly t: Target;
    /** Runs `pulumi up` with the target's config (plus `extra`); checks state and secrets after. */
    up(extra?: Record<string, unknown>, opts?: RunOptions): Promise<CliRun>;
    /** Starts `pulumi up` without waiting (for faults injected while it runs). */
    upInBackground(extra?: Record<string, unknown>, opts?: RunOptions): Promise<CliRun>;
    /** Waits (real time) until `cond` holds. */
    until(cond: () => boolean, what: string, timeoutMs?: number): Promise<void>;
}

/** One row: a fault, on one target. */
export interface Row {
    fault: string;
    kind: TargetKind;
    /** What the row expects, in words (the test's name). */
    expect: string;
    steps(ctx: RowContext): Promise<void>;
    /** Operations the cloud may have started in all (default 1: one intended change). */
    starts?: number;
    /** How the cloud starts out (default: a quiet group). */
    setup?: Setup;
    /** Config of the converging up (default: the target's). */
    convergeConfig?: Record<string, unknown>;
}

interface Figure {
    fault: string;
    resource: string;
    passed: boolean;
}

const THROTTLING = /Throttl|RequestLimitExceeded|LimitExceeded/;

/**
 * Registers `rows` as tests, and prints the figures at the end. Each row has its own simulator and
 * stack, so the rows run concurrently (jest's maxConcurrency at a time) unless `concurrent` is false.
 */
export function matrix(file: string, rows: Row[], opts: { concurrent?: boolean } = {}): void {
    const figures: Figure[] = [];
    afterAll(() => {
        const classes = new Map<string, { run: number; passed: number }>();
        for (const f of figures) {
            const c = classes.get(f.fault) ?? { run: 0, passed: 0 };
            c.run++;
            c.passed += f.passed ? 1 : 0;
            classes.set(f.fault, c);
        }
        const lines = [...classes].map(([k, c]) => `  ${k}: ${c.passed}/${c.run} passed`);
        const passed = figures.filter((f) => f.passed).length;
        console.log(
            `fault matrix (${file}): ${figures.length} rows run, ${passed} passed\n${lines.join("\n")}`,
        );
        const dir = process.env.PULUMI_ROLLOUT_FAULT_REPORT;
        if (dir) {
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(figures, null, 2));
        }
    });
    const define = opts.concurrent === false ? test : test.concurrent;
    for (const row of rows) {
        define(`${row.fault} · ${row.kind}: ${row.expect}`, async () => {
            const t = await target(row.kind, row.setup);
            const figure = { fault: row.fault, resource: t.resource, passed: false };
            try {
                await runRow(row, t);
                figure.passed = true;
            } finally {
                figures.push(figure);
                await t.stop();
            }
        });
    }
}

async function runRow(row: Row, t: Target): Promise<void> {
    const runs: CliRun[] = [];
    let interrupted = false;
    const checked = (run: CliRun): CliRun => {
        runs.push(run);
        if (process.env.FAULT_MATRIX_DEBUG) {
            console.log(`${row.fault} · ${row.kind}:\n${run.output}`);
        }
        interrupted ||= run.signal !== null || /SIGINT|cancel/i.test(run.output);
        // The state file is valid JSON and names only what the cloud has.
        JSON.parse(t.box.stateText());
        try {
            t.assertTruthful();
        } catch (err) {
            // What the run printed is what explains an untruthful state: keep its end.
            throw new Error(
                `${err instanceof Error ? err.message : String(err)}\n--- the run's output ` +
                    `(last 4000 characters):\n${run.output.slice(-4000)}`,
                { cause: err },
            );
        }
        return run;
    };
    const ctx: RowContext = {
        t,
        up: async (extra, opts) =>
            checked(await t.box.pulumi("up", t.config(extra), undefined, opts)),
        upInBackground: (extra, opts) =>
            t.box.pulumi("up", t.config(extra), undefined, opts).then(checked),
        until: waitFor,
    };
    await row.steps(ctx);

    // The next `pulumi up`, once the fault is gone, converges.
    t.setFaults({});
    t.scenario({});
    if (interrupted) {
        // What the CLI tells the user after an interrupted update: remove its lock.
        await t.box.pulumi("cancel");
    }
    const converge = checked(await t.box.pulumi("up", t.config(row.convergeConfig)));
    expect({
        code: converge.code,
        tail: converge.code === 0 ? "" : converge.output.slice(-3000),
    }).toEqual({
        code: 0,
        tail: "",
    });
    t.assertConverged();

    // Never started twice for one intended change.
    expect(t.started()).toBeLessThanOrEqual(row.starts ?? 1);
    // No secret in any output or in state.
    const texts = [...runs.map((r) => r.output), t.box.stateText()];
    for (const secret of SECRETS) {
        expect(texts.filter((x) => x.includes(secret))).toEqual([]);
    }
    // No 4xx retried in a loop: at most 2 refusals of one action per run.
    const refusals = new Map<string, number>();
    for (const c of t.calls()) {
        if (c.httpStatus >= 400 && c.httpStatus < 500 && !THROTTLING.test(c.errorCode ?? "")) {
            refusals.set(c.action, (refusals.get(c.action) ?? 0) + 1);
        }
    }
    for (const [action, n] of refusals) {
        expect({ action, n, ok: n <= 2 * runs.length }).toEqual({ action, n, ok: true });
    }
}

/** Calls to `action` the simulator answered with an error code matching `code`. */
export function answered(t: Target, code: RegExp): number {
    return t.calls().filter((c) => code.test(c.errorCode ?? "")).length;
}
