/**
 * Runs one profile on one cloud with one polling strategy, in virtual time, and measures it. The
 * wait is the product's: `runRefresh` (and through it `poll`) over the task API the resource's
 * spec builds. A strategy only changes the poller's delay bounds (the fixed loops pin them to one
 * value) or, for the previous poller kept as a reference, the delay the clock actually sleeps.
 */
import { type Clock, VirtualClock } from "../../src/core/clock";
import { runRefresh, type RunOptions, type TaskSnapshot } from "../../src/core/refreshRunner";
import { type CloudName, setupProfile, type Shape } from "./profiles";

/** Replaces the poller's delays: it sees every observation and picks each sleep. */
export interface DelayScheduler {
    /** Called with each observation of the task, as the runner will see it. */
    observe(snapshot: TaskSnapshot, now: number): void;
    /** The delay to sleep when the poller asks for `requestedMs`. */
    delay(requestedMs: number, now: number): number;
}

/** A way of polling. */
export interface Strategy {
    id: string;
    label: string;
    description: string;
    /** The poller's delay bounds (RunOptions); none: the defaults the resources use. */
    bounds: Pick<RunOptions, "minDelayMs" | "maxDelayMs" | "maxQuietDelayMs">;
    /** A scheduler that replaces the poller's delays (reference schedules only). */
    scheduler?: () => DelayScheduler;
}

/** One run's measurements. */
export interface RunMetrics {
    describeCalls: number;
    /** Terminal status reached in the engine → the wait returned, ms. */
    completionLagMs: number;
    /** The failure happened in the engine → the first Describe that showed it, ms. */
    failureLagMs?: number;
    /** The engine's final status. */
    finalStatus: string;
    /** Whether the runner reported success. */
    ok: boolean;
    /** Engine time from the start to the terminal status, ms. */
    refreshMs: number;
    /** The time between consecutive observations, in order, ms. */
    delays: number[];
    /** Each observation: time since the start (ms) and status. */
    observations: { at: number; status: string }[];
}

const TERMINAL = new Set([
    "Successful",
    "Failed",
    "Cancelled",
    "RollbackSuccessful",
    "RollbackFailed",
]);
/** Statuses that show a failure has happened. */
const FAILURE_SEEN = new Set([
    "Failed",
    "RollbackInProgress",
    "RollbackSuccessful",
    "RollbackFailed",
]);

/** A clock whose sleeps last what the scheduler says, whatever the poller asked for. */
class ScheduledClock implements Clock {
    constructor(
        private readonly inner: VirtualClock,
        private readonly scheduler: DelayScheduler,
    ) {}

    now(): number {
        return this.inner.now();
    }

    sleep(ms: number, signal?: AbortSignal): Promise<void> {
        return this.inner.sleep(this.scheduler.delay(ms, this.inner.now()), signal);
    }
}

/** Epoch of every run's virtual clock. */
const T0 = Date.UTC(2026, 0, 1);

/** Runs `shape` on `cloud` with `strategy`; the refresh's start answers after `startLatencyMs`. */
export async function runOnce(
    cloud: CloudName,
    shape: Shape,
    strategy: Strategy,
    startLatencyMs: number,
): Promise<RunMetrics> {
    const clock = new VirtualClock(T0);
    const scheduler = strategy.scheduler?.();
    const setup = setupProfile(cloud, shape, clock, startLatencyMs, (s) =>
        scheduler?.observe(s, clock.now()),
    );
    const outcome = await runRefresh(setup.api, setup.policy, {
        clock: scheduler ? new ScheduledClock(clock, scheduler) : clock,
        log: () => undefined,
        ...strategy.bounds,
    });
    const returnedAt = clock.now();
    const { record } = setup;
    const terminal = [...record.transitions].reverse().find((t) => TERMINAL.has(t.status));
    if (!terminal) {
        throw new Error(
            `bench: ${shape.id} (${cloud}, ${strategy.id}) returned before the refresh ended: ` +
                (outcome.reason ?? "no reason"),
        );
    }
    const failure = record.transitions.find(
        (t) => t.status === "Failed" || t.status === "RollbackInProgress",
    );
    let failureLagMs: number | undefined;
    if (failure) {
        const seen = record.observed.find((o) => o.at >= failure.at && FAILURE_SEEN.has(o.status));
        failureLagMs = seen ? seen.at - failure.at : undefined;
    }
    const start = record.calls.find((c) => c.action === "StartInstanceRefresh")?.at ?? T0;
    return {
        describeCalls: record.describeCalls,
        completionLagMs: returnedAt - terminal.at,
        failureLagMs,
        finalStatus: terminal.status,
        ok: outcome.ok,
        refreshMs: terminal.at - start,
        delays: record.observed.slice(1).map((o, i) => o.at - (record.observed[i]?.at ?? o.at)),
        observations: record.observed.map((o) => ({ at: o.at - start, status: o.status })),
    };
}
