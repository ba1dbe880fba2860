import { Clock, systemClock } from "./clock";

/** One observation of a long-running operation. */
export interface PollStep<T> {
    /** What was observed. */
    value: T;
    /** Whether the operation has reached a terminal status. */
    done: boolean;
    /** A name for the current phase (e.g. the status); progress history restarts when it changes. */
    phase?: string;
    /** Completed fraction in [0, 1], when the cloud reports one. */
    progress?: number;
    /** When the operation is known to stay quiet for a while (a checkpoint pause), how long, in ms. */
    quietForMs?: number;
    /**
     * Observe again within this many ms whatever the schedule says: a duty that comes with the
     * wait (a lifecycle heartbeat) is due by then.
     */
    observeWithinMs?: number;
}

/** Options of {@link poll}. */
export interface PollOptions<T> {
    /** Makes one observation (one Describe call). */
    observe: () => Promise<PollStep<T>>;
    /** Absolute time (ms since epoch, on `clock`) after which the wait gives up. */
    deadline: number;
    /** The clock (default the system clock). */
    clock?: Clock;
    /** Aborts the wait. */
    signal?: AbortSignal;
    /** Shortest delay between observations, ms (default 2000). */
    minDelayMs?: number;
    /** Longest delay while the operation is moving, ms (default 60000): bounds how late a failure is seen. */
    maxDelayMs?: number;
    /** Longest delay during a known quiet period, ms (default 60000). */
    maxQuietDelayMs?: number;
    /** Called after each observation. */
    onStep?: (step: PollStep<T>) => void;
    /**
     * Whether a failed observation is transient (throttling, 5xx, network): the wait goes on and
     * tries again; any other failure ends the wait by rethrowing it.
     */
    isTransient?: (err: unknown) => boolean;
    /** Called when a transient failure is tolerated. */
    onTransientError?: (err: unknown) => void;
}

/** How a wait ended. */
export type PollOutcome<T> =
    | { kind: "done"; value: T; observations: number }
    | { kind: "timeout"; last?: T; observations: number; lastError?: unknown }
    | { kind: "aborted"; last?: T; observations: number };

/** A progress sample, for the ETA. */
export interface ProgressSample {
    at: number;
    progress: number;
}

/** What the scheduler knows when it picks the next delay. */
export interface ScheduleState {
    /** Samples taken in the current phase, oldest first. */
    samples: ProgressSample[];
    /** Consecutive observations without any progress change. */
    idleObservations: number;
    /** The current step's quiet period, if any. */
    quietForMs?: number;
}

/** Delay bounds of the scheduler. */
export interface ScheduleBounds {
    minDelayMs: number;
    maxDelayMs: number;
    maxQuietDelayMs: number;
}

/**
 * The estimated time until the operation completes, from the progress rate in the current phase,
 * or undefined when there is no rate yet.
 */
export function estimateRemainingMs(samples: ProgressSample[]): number | undefined {
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (!first || !last || last.at <= first.at || last.progress <= first.progress) {
        return undefined;
    }
    const rate = (last.progress - first.progress) / (last.at - first.at);
    return Math.max(0, (1 - last.progress) / rate);
}

/**
 * The delay before the next observation. With a progress rate, it halves the estimated remaining
 * time (so observations close in on the expected end); without one (or at 100 % with no terminal
 * status yet), it backs off geometrically; in a known quiet period it sleeps through it. Always
 * within the bounds.
 */
export function nextPollDelay(state: ScheduleState, bounds: ScheduleBounds): number {
    const clamp = (ms: number, max: number): number =>
        Math.round(Math.min(max, Math.max(bounds.minDelayMs, ms)));
    if (state.quietForMs !== undefined && state.quietForMs > 0) {
        return clamp(state.quietForMs, bounds.maxQuietDelayMs);
    }
    const last = state.samples[state.samples.length - 1];
    const eta = last && last.progress < 1 ? estimateRemainingMs(state.samples) : undefined;
    if (eta !== undefined) {
        return clamp(eta / 2, bounds.maxDelayMs);
    }
    return clamp(bounds.minDelayMs * 1.5 ** state.idleObservations, bounds.maxDelayMs);
}

/**
 * Waits for a long-running operation: observes it, then sleeps as {@link nextPollDelay} says,
 * until it is done, the deadline passes (a last observation is made at the deadline), or the
 * signal aborts. The one poller every resource uses.
 */
export async function poll<T>(opts: PollOptions<T>): Promise<PollOutcome<T>> {
    const clock = opts.clock ?? systemClock;
    const bounds: ScheduleBounds = {
        minDelayMs: opts.minDelayMs ?? 2_000,
        maxDelayMs: opts.maxDelayMs ?? 60_000,
        maxQuietDelayMs: opts.maxQuietDelayMs ?? 60_000,
    };
    let observations = 0;
    let last: T | undefined;
    let lastError: unknown;
    let phase: string | undefined;
    let lastProgress: number | undefined;
    const state: ScheduleState = { samples: [], idleObservations: 0 };
    /** When an observation is due at the latest (observeWithinMs), ms on the clock. */
    let dueAt = Infinity;

    for (;;) {
        if (opts.signal?.aborted) {
            return { kind: "aborted", last, observations };
        }
        let step: PollStep<T> | undefined;
        try {
            observations++;
            step = await opts.observe();
            lastError = undefined;
        } catch (err) {
            if (!opts.isTransient?.(err)) {
                throw err;
            }
            lastError = err;
            opts.onTransientError?.(err);
        }
        const now = clock.now();
        if (step) {
            last = step.value;
            opts.onStep?.(step);
            if (step.done) {
                return { kind: "done", value: step.value, observations };
            }
            const newPhase = observations === 1 || step.phase !== phase;
            if (newPhase) {
                phase = step.phase;
                state.samples = [];
            }
            const moved =
                newPhase || (step.progress !== undefined && step.progress !== lastProgress);
            state.idleObservations = moved ? 0 : state.idleObservations + 1;
            lastProgress = step.progress;
            if (step.progress !== undefined) {
                state.samples.push({ at: now, progress: step.progress });
            }
            state.quietForMs = step.quietForMs;
            dueAt = step.observeWithinMs === undefined ? Infinity : now + step.observeWithinMs;
        } else {
            state.idleObservations++;
            state.quietForMs = undefined;
        }
        if (now >= opts.deadline) {
            return { kind: "timeout", last, observations, lastError };
        }
        // A due time already past (the step that set it failed since) is not a reason to hurry:
        // the schedule's own delay applies, so a failing cloud is never polled in a tight loop.
        const due = dueAt > now ? dueAt - now : Infinity;
        const delay = Math.max(0, Math.min(nextPollDelay(state, bounds), opts.deadline - now, due));
        try {
            await clock.sleep(delay, opts.signal);
        } catch {
            return { kind: "aborted", last, observations };
        }
    }
}
