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
    /** Longest delay while the operation is moving, ms (default 120000): bounds how late a failure is seen. */
    maxDelayMs?: number;
    /** Longest delay through a known quiet period (slept through in one delay), ms (default 600000). */
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

/** A progress sample: a level of progress and a time (ms on the clock). */
export interface ProgressSample {
    at: number;
    progress: number;
}

/** What the scheduler knows when it picks the next delay. */
export interface ScheduleState {
    /**
     * The progress jumps seen in the current phase, oldest first: each is the level reached, dated
     * at the earliest it can have happened (the observation before the one that showed it).
     */
    samples: ProgressSample[];
    /** Consecutive observations without any progress change in the current phase. */
    idleObservations: number;
    /** What is left of a known quiet period (a checkpoint pause), ms. */
    quietForMs?: number;
    /** The time now, ms on the clock (default: the last sample's time). */
    now?: number;
    /** Observations already made since the predicted end passed. */
    overdueObservations?: number;
    /** Time since the wait began, ms (default: long ago): the start-up ramp uses it. */
    elapsedMs?: number;
}

/** Delay bounds of the scheduler. */
export interface ScheduleBounds {
    minDelayMs: number;
    maxDelayMs: number;
    maxQuietDelayMs: number;
}

/** Defaults of {@link poll}'s bounds. */
export const DEFAULT_MIN_DELAY_MS = 2_000;
/** Bounds how late a failure of a moving operation is seen: 2 min. */
export const DEFAULT_MAX_DELAY_MS = 120_000;
/** A known pause is slept through in one delay up to this long. */
export const DEFAULT_MAX_QUIET_DELAY_MS = 600_000;

/** Without a rate, the backoff starts here and doubles. */
const BACKOFF_FROM_MS = 10_000;
/** Once the predicted end is late, delays stay under this until it is twice as late. */
const OVERDUE_STEADY_MS = 15_000;
/** Observations are aimed this long after the predicted end (or the end of a pause). */
const MARGIN_MS = 1_000;
/**
 * At the start of a wait the delay is at most this fraction of the time waited so far (at least
 * the minimum): a refresh of a few seconds is still seen ending within a few seconds.
 */
const STARTUP_RATIO = 0.5;

/**
 * The predicted end of the current phase (ms on the clock), from its progress jumps: the rate
 * from the first jump to the last, extrapolated from the last to 1. Undefined without two rising
 * jumps. Each jump is dated at the earliest it can have happened, so the prediction errs early and
 * the poller closes in from there.
 */
export function predictEndAt(jumps: ProgressSample[]): number | undefined {
    const first = jumps[0];
    const last = jumps[jumps.length - 1];
    if (!first || !last || last.at <= first.at || last.progress <= first.progress) {
        return undefined;
    }
    const rate = (last.progress - first.progress) / (last.at - first.at);
    return last.at + Math.max(0, 1 - last.progress) / rate;
}

/**
 * The estimated time until the operation completes, measured from the last jump, from the
 * progress jumps of the current phase ({@link predictEndAt}), or undefined when there is no rate.
 */
export function estimateRemainingMs(samples: ProgressSample[]): number | undefined {
    const end = predictEndAt(samples);
    const last = samples[samples.length - 1];
    return end === undefined || !last ? undefined : Math.max(0, end - last.at);
}

/**
 * The delay before the next observation, always within the bounds:
 * - in a known quiet period, it sleeps through it in one delay (up to maxQuietDelayMs);
 * - with a predicted end ({@link predictEndAt}) ahead, it aims just after it (up to maxDelayMs);
 *   once the end is overdue, it closes in with the minimum delay doubling (2, 4, 8 … s), each
 *   delay at most 15 s or half the time the end is already late, whichever is more;
 * - without a rate, it backs off from 10 s, doubling, up to maxDelayMs;
 * - at the start of a wait, it is at most half the time waited so far, so a short operation is
 *   seen ending promptly.
 */
export function nextPollDelay(state: ScheduleState, bounds: ScheduleBounds): number {
    const clamp = (ms: number, max: number): number =>
        Math.round(Math.min(max, Math.max(bounds.minDelayMs, ms)));
    if (state.quietForMs !== undefined && state.quietForMs > 0) {
        return clamp(state.quietForMs + MARGIN_MS, bounds.maxQuietDelayMs);
    }
    const startup =
        state.elapsedMs === undefined ? Infinity : Math.max(0, state.elapsedMs) * STARTUP_RATIO;
    const last = state.samples[state.samples.length - 1];
    const now = state.now ?? last?.at ?? 0;
    const end = last && last.progress < 1 ? predictEndAt(state.samples) : undefined;
    if (end !== undefined) {
        if (end + MARGIN_MS > now) {
            return clamp(Math.min(end + MARGIN_MS - now, startup), bounds.maxDelayMs);
        }
        // Closing in: 2, 4, 8 … s, but never more than 15 s (a fixed 15 s loop's delay) or half
        // the time the end is already late, whichever is more: an end a little later than
        // predicted is seen within seconds, a long stall is not polled every 15 s.
        const late = now - (end + MARGIN_MS);
        const doubling = bounds.minDelayMs * 2 ** (state.overdueObservations ?? 0);
        return clamp(Math.min(doubling, Math.max(OVERDUE_STEADY_MS, late / 2)), bounds.maxDelayMs);
    }
    const backoff = Math.max(bounds.minDelayMs, BACKOFF_FROM_MS) * 2 ** state.idleObservations;
    return clamp(Math.min(backoff, startup), bounds.maxDelayMs);
}

/**
 * Waits for a long-running operation: observes it, then sleeps as {@link nextPollDelay} says,
 * until it is done, the deadline passes (a last observation is made at the deadline), or the
 * signal aborts. The one poller every resource uses.
 *
 * What it keeps per phase (a change of `phase` restarts it): the progress jumps, each dated at the
 * observation before it; a known quiet period, timed from the first observation that announced
 * it (the same phase, progress and quietForMs is the same pause) and slept through once; the
 * observations without progress (the backoff) and those past the predicted end (closing in).
 */
export async function poll<T>(opts: PollOptions<T>): Promise<PollOutcome<T>> {
    const clock = opts.clock ?? systemClock;
    const bounds: ScheduleBounds = {
        minDelayMs: opts.minDelayMs ?? DEFAULT_MIN_DELAY_MS,
        maxDelayMs: opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
        maxQuietDelayMs: opts.maxQuietDelayMs ?? DEFAULT_MAX_QUIET_DELAY_MS,
    };
    const began = clock.now();
    let observations = 0;
    let last: T | undefined;
    let lastError: unknown;
    let phase: string | undefined;
    /** The last successful observation in this phase. */
    let previous: { at: number; progress?: number } | undefined;
    let jumps: ProgressSample[] = [];
    let idle = 0;
    let overdue = 0;
    /** A known quiet period: what announced it, and when it ends. */
    let quiet: { key: string; until: number } | undefined;
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
        let quietLeft: number | undefined;
        if (step) {
            last = step.value;
            opts.onStep?.(step);
            if (step.done) {
                return { kind: "done", value: step.value, observations };
            }
            const p = step.progress;
            if (!previous || step.phase !== phase) {
                phase = step.phase;
                jumps = [];
                idle = 0;
                overdue = 0;
            } else if (p !== undefined && p !== previous.progress) {
                if (previous.progress !== undefined && p > previous.progress) {
                    // It happened after the previous observation: dated at the earliest.
                    jumps.push({ at: previous.at, progress: p });
                } else {
                    jumps = []; // progress went back: the rate so far means nothing
                }
                idle = 0;
                overdue = 0;
            } else {
                idle++;
            }
            previous = { at: now, progress: p };
            if (step.quietForMs !== undefined && step.quietForMs > 0) {
                const key = `${step.phase ?? ""}|${p ?? ""}|${step.quietForMs}`;
                if (quiet?.key !== key) {
                    // A new pause: timed from now; the rate before it does not carry over it.
                    quiet = { key, until: now + step.quietForMs };
                    jumps = [];
                }
                quietLeft = quiet.until - now;
            } else {
                quiet = undefined;
            }
            dueAt = step.observeWithinMs === undefined ? Infinity : now + step.observeWithinMs;
        } else {
            idle++;
        }
        if (now >= opts.deadline) {
            return { kind: "timeout", last, observations, lastError };
        }
        const state: ScheduleState = {
            samples: jumps,
            idleObservations: idle,
            quietForMs: quietLeft,
            now,
            overdueObservations: overdue,
            elapsedMs: now - began,
        };
        const scheduled = nextPollDelay(state, bounds);
        const lastJump = jumps[jumps.length - 1];
        const end =
            quietLeft === undefined && lastJump && lastJump.progress < 1
                ? predictEndAt(jumps)
                : undefined;
        if (end !== undefined && end + MARGIN_MS <= now) {
            overdue++;
        }
        // A due time already past (the step that set it failed since) is not a reason to hurry:
        // the schedule's own delay applies, so a failing cloud is never polled in a tight loop.
        const due = dueAt > now ? dueAt - now : Infinity;
        const delay = Math.max(0, Math.min(scheduled, opts.deadline - now, due));
        try {
            await clock.sleep(delay, opts.signal);
        } catch {
            return { kind: "aborted", last, observations };
        }
    }
}
