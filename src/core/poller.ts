import { Clock, systemClock } from "./clock";
import {
    EndWindow,
    endWindow,
    ProgressObservation,
    Region,
    regionOf,
    widthAfterProbe,
    windowOf,
} from "./progressModel";

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
    /** How finely the cloud reports it: 0.01 for a whole percentage (default 0: exact). */
    progressResolution?: number;
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
    /**
     * Longest delay through a known quiet period (slept through in delays up to this long), ms
     * (default 120000): bounds how late a resume, cancel or failure during a pause is seen.
     */
    maxQuietDelayMs?: number;
    /**
     * When the operation began to be waited on, if before this wait (ms on the clock): the
     * start-up ramp is measured from it (default: the start of this wait).
     */
    startedAt?: number;
    /**
     * When the operation is expected to be done (ms on the clock), from like operations already
     * seen: without progress to go by, the next look aims just after it instead of ramping up, and
     * once it has passed the poller closes in as on any late operation.
     */
    expectedDoneAt?: number;
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
export type ProgressSample = ProgressObservation;

/** What the scheduler knows when it picks the next delay. */
export interface ScheduleState {
    /** The observations of the current phase that reported progress, oldest first. */
    samples: ProgressSample[];
    /** How finely the cloud reports progress (the model's `resolution`). */
    resolution?: number;
    /** Consecutive observations without any progress change in the current phase. */
    idleObservations: number;
    /** What is left of a known quiet period (a checkpoint pause), ms. */
    quietForMs?: number;
    /** The time now, ms on the clock (default: the last sample's time). */
    now?: number;
    /**
     * Observations in a row, without a progress change, made after the latest end the model
     * allowed: the operation has left the model (a stall).
     */
    overdueObservations?: number;
    /** Since when the operation has been overdue, ms on the clock (default: now). */
    overdueSince?: number;
    /** Time since the wait began, ms (default: long ago): the start-up ramp uses it. */
    elapsedMs?: number;
    /** When the operation is expected to be done, ms on the clock (see {@link PollOptions}). */
    expectedDoneAt?: number;
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
/**
 * A known pause is slept through in delays up to this long: the same 2 min as a moving operation,
 * so that a resume, a cancel or a failure during a long checkpoint pause is seen as soon.
 */
export const DEFAULT_MAX_QUIET_DELAY_MS = 120_000;

/** Without a rate, the backoff starts here and doubles. */
const BACKOFF_FROM_MS = 10_000;
/** Once overdue, delays stay under this until the operation is twice as late. */
const OVERDUE_STEADY_MS = 15_000;
/** The end of a pause is looked at this long after it. */
const MARGIN_MS = 1_000;
/** A window of ends this narrow is looked at once, just after its latest end. */
const SETTLED_MS = 3_000;
/** ... that long after it. */
const SETTLED_MARGIN_MS = 250;
/** A wider window is probed this far into it (the answer narrows it, or shows the end) ... */
const PROBE_FRACTION = 0.3;
/** ... but at most this far past its start: a poorly known end is seen no later than by a 15 s loop. */
const PROBE_STEP_MAX_MS = 15_000;
/**
 * At the start of a wait without a rate the delay is at most this multiple of the time waited so
 * far (at least the minimum): a refresh of a few seconds is still seen ending within seconds.
 * The wait on a rollback counts from the wait on the refresh it rolls back.
 */
const STARTUP_RATIO = 1;

/**
 * The end the progress samples of the current phase predict (ms on the clock): the latest end
 * {@link endWindow} allows, or undefined while it is unbounded (no rate yet).
 */
export function predictEndAt(samples: ProgressSample[], resolution = 0): number | undefined {
    const w = endWindow(samples, { resolution });
    return w && Number.isFinite(w.latest) ? w.latest : undefined;
}

/**
 * The estimated time until the operation completes, measured from the last sample
 * ({@link predictEndAt}), or undefined when there is no rate.
 */
export function estimateRemainingMs(samples: ProgressSample[]): number | undefined {
    const end = predictEndAt(samples);
    const last = samples[samples.length - 1];
    return end === undefined || !last ? undefined : Math.max(0, end - last.at);
}

/** Candidate times tried when picking a probe. */
const PROBE_CANDIDATES = 16;
/** A probe before the end can come is made only if it narrows the window at least this much. */
const PROBE_GAIN = 0.6;

/** The probe of [lo, hi] that leaves the narrowest window at worst (the later one on a tie). */
function bestProbe(region: Region, lo: number, hi: number): { at: number; width: number } {
    let best = { at: hi, width: widthAfterProbe(region, hi) };
    for (let i = PROBE_CANDIDATES - 1; i >= 0 && hi > lo; i--) {
        const at = lo + ((hi - lo) * i) / PROBE_CANDIDATES;
        const width = widthAfterProbe(region, at);
        if (width < best.width - 1) {
            best = { at, width };
        }
    }
    return best;
}

/**
 * When to look next, given the window of possible ends: a narrow window is looked at once just
 * after its latest end; while the end cannot come before the longest delay, the probe is placed
 * where its answer narrows the window most; near the end, a probe that narrows it enough is made
 * before the end can come, or else one 30 % into the window.
 */
function probeAt(region: Region, window: EndWindow, now: number, bounds: ScheduleBounds): number {
    const from = Math.max(now, window.earliest);
    const width = window.latest - from;
    if (width <= SETTLED_MS) {
        return window.latest + SETTLED_MARGIN_MS;
    }
    if (window.earliest > now + bounds.maxDelayMs) {
        return bestProbe(region, now + bounds.maxDelayMs / 2, now + bounds.maxDelayMs).at;
    }
    if (window.earliest > now + bounds.minDelayMs) {
        const early = bestProbe(region, now + bounds.minDelayMs, window.earliest);
        if (early.width <= width * PROBE_GAIN) {
            return early.at;
        }
    }
    return from + Math.min(width * PROBE_FRACTION, PROBE_STEP_MAX_MS);
}

/**
 * The delay before the next observation, always within the bounds:
 * - in a known quiet period, it sleeps through it (in delays up to maxQuietDelayMs);
 * - with a window of possible ends ({@link endWindow}): a narrow one (3 s) is looked at once just
 *   after its latest end; while the end cannot come within maxDelayMs, the look is placed where
 *   its answer narrows the window most; near the end, a look that narrows it enough is made
 *   before the end can come, or else one 30 % (at most 15 s) into the window;
 * - once the operation is overdue (seen past the latest end the model allowed, without progress),
 *   it closes in with the minimum delay doubling (2, 4, 8 … s), each delay at most 15 s or half
 *   the time it is already late, whichever is more;
 * - without a rate but with an expected end (learned from like operations), it aims just after
 *   that;
 * - without a rate, it backs off from 10 s, doubling, up to maxDelayMs; at the start of a wait,
 *   at most the time waited so far (2, 2, 4, 8, 16 … s), so a short operation is seen ending
 *   within seconds.
 */
export function nextPollDelay(state: ScheduleState, bounds: ScheduleBounds): number {
    const clamp = (ms: number, max: number): number =>
        Math.round(Math.min(max, Math.max(bounds.minDelayMs, ms)));
    if (state.quietForMs !== undefined && state.quietForMs > 0) {
        return clamp(state.quietForMs + MARGIN_MS, bounds.maxQuietDelayMs);
    }
    const last = state.samples[state.samples.length - 1];
    const now = state.now ?? last?.at ?? 0;
    const overdue = state.overdueObservations ?? 0;
    if (overdue > 0) {
        // Closing in: 2, 4, 8 … s, but never more than 15 s (a fixed 15 s loop's delay) or half
        // the time already late, whichever is more: an end a little later than the model allowed
        // is seen within seconds, a long stall is not polled every 15 s.
        const late = now - (state.overdueSince ?? now);
        const doubling = bounds.minDelayMs * 2 ** overdue;
        return clamp(Math.min(doubling, Math.max(OVERDUE_STEADY_MS, late / 2)), bounds.maxDelayMs);
    }
    const region = regionOf(state.samples, { resolution: state.resolution });
    const window = region && windowOf(region);
    if (region && window && Number.isFinite(window.latest)) {
        return clamp(probeAt(region, window, now, bounds) - now, bounds.maxDelayMs);
    }
    if (state.expectedDoneAt !== undefined && state.expectedDoneAt > now) {
        return clamp(state.expectedDoneAt + SETTLED_MARGIN_MS - now, bounds.maxDelayMs);
    }
    const startup =
        state.elapsedMs === undefined ? Infinity : Math.max(0, state.elapsedMs) * STARTUP_RATIO;
    const backoff = Math.max(bounds.minDelayMs, BACKOFF_FROM_MS) * 2 ** state.idleObservations;
    return clamp(Math.min(backoff, startup), bounds.maxDelayMs);
}

/**
 * Waits for a long-running operation: observes it, then sleeps as {@link nextPollDelay} says,
 * until it is done, the deadline passes (a last observation is made at the deadline), or the
 * signal aborts. The one poller every resource uses.
 *
 * What it keeps per phase (a change of `phase` restarts it): the progress observations; a known
 * quiet period, timed from the first observation that announced it (the same phase, progress and
 * quietForMs is the same pause) and slept through once (the observations before it do not carry
 * over it); the observations without progress (the backoff) and those past the latest end the
 * model allowed (closing in).
 */
export async function poll<T>(opts: PollOptions<T>): Promise<PollOutcome<T>> {
    const clock = opts.clock ?? systemClock;
    const bounds: ScheduleBounds = {
        minDelayMs: opts.minDelayMs ?? DEFAULT_MIN_DELAY_MS,
        maxDelayMs: opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
        maxQuietDelayMs: opts.maxQuietDelayMs ?? DEFAULT_MAX_QUIET_DELAY_MS,
    };
    const began = Math.min(clock.now(), opts.startedAt ?? Infinity);
    let observations = 0;
    let last: T | undefined;
    let lastError: unknown;
    let phase: string | undefined;
    /** Whether an observation of this phase has been made. */
    let seen = false;
    let lastProgress: number | undefined;
    let samples: ProgressSample[] = [];
    let resolution: number | undefined;
    let idle = 0;
    let overdue = 0;
    let overdueSince: number | undefined;
    /** The latest end the model allowed before the last observation, ms on the clock. */
    let latestEnd = Infinity;
    /** A known quiet period: what announced it, and when it ends. */
    let quiet: { key: string; until: number } | undefined;
    /** When an observation is due at the latest (observeWithinMs), ms on the clock. */
    let dueAt = Infinity;
    /** The duty's interval (observeWithinMs) last asked for, and failed observations in a row. */
    let dutyEveryMs: number | undefined;
    let failures = 0;

    for (;;) {
        if (opts.signal?.aborted) {
            return { kind: "aborted", last, observations };
        }
        let step: PollStep<T> | undefined;
        try {
            observations++;
            step = await opts.observe();
            lastError = undefined;
            failures = 0;
        } catch (err) {
            if (!opts.isTransient?.(err)) {
                throw err;
            }
            lastError = err;
            failures++;
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
            if (!seen || step.phase !== phase) {
                phase = step.phase;
                samples = [];
                resolution = undefined;
                idle = 0;
                overdue = 0;
            } else if (p !== lastProgress) {
                idle = 0;
                overdue = 0;
            } else {
                idle++;
                // Once late, every look without progress counts (the window the late operation
                // leaves may be unbounded, but it is still late), so the delays keep growing.
                if (overdue > 0 || now >= latestEnd) {
                    overdueSince = overdue === 0 ? latestEnd : overdueSince;
                    overdue++;
                }
            }
            seen = true;
            lastProgress = p;
            // The coarsest resolution of the phase's samples holds for all of them.
            if (step.progressResolution !== undefined) {
                resolution = Math.max(resolution ?? 0, step.progressResolution);
            }
            if (p !== undefined) {
                samples.push({ at: now, progress: p });
            }
            if (step.quietForMs !== undefined && step.quietForMs > 0) {
                const key = `${step.phase ?? ""}|${p ?? ""}|${step.quietForMs}`;
                if (quiet?.key !== key) {
                    // A new pause: timed from now; the pace before it does not carry over it.
                    quiet = { key, until: now + step.quietForMs };
                    samples = p === undefined ? [] : [{ at: now, progress: p }];
                }
                quietLeft = quiet.until - now;
            } else {
                quiet = undefined;
            }
            dutyEveryMs = step.observeWithinMs;
            dueAt = dutyEveryMs === undefined ? Infinity : now + dutyEveryMs;
        } else {
            idle++;
            if (dutyEveryMs !== undefined && dueAt <= now) {
                // The duty is still owed: try again soon, 4, 8 … s while the cloud keeps
                // failing, never later than its own interval nor sooner than the minimum delay.
                dueAt =
                    now +
                    Math.max(
                        bounds.minDelayMs,
                        Math.min(dutyEveryMs, bounds.minDelayMs * 2 ** failures),
                    );
            }
        }
        if (now >= opts.deadline) {
            return { kind: "timeout", last, observations, lastError };
        }
        const state: ScheduleState = {
            samples,
            resolution,
            idleObservations: idle,
            quietForMs: quietLeft,
            now,
            overdueObservations: overdue,
            overdueSince,
            elapsedMs: now - began,
            expectedDoneAt: opts.expectedDoneAt,
        };
        const scheduled = nextPollDelay(state, bounds);
        latestEnd =
            quietLeft === undefined
                ? (predictEndAt(samples, resolution) ?? opts.expectedDoneAt ?? Infinity)
                : Infinity;
        const due = dueAt > now ? dueAt - now : Infinity;
        const delay = Math.max(0, Math.min(scheduled, opts.deadline - now, due));
        try {
            await clock.sleep(delay, opts.signal);
        } catch {
            return { kind: "aborted", last, observations };
        }
    }
}
