/** A source of "now" in milliseconds since the epoch, so simulators can run on virtual time. */
export interface SimClock {
    now(): number;
}

/** The wall clock. */
export const systemClock: SimClock = { now: () => Date.now() };

/** A clock that only moves when told to: for deterministic tests. */
export class ManualClock implements SimClock {
    private current: number;

    /** Starts at `startMs` (default: the wall clock at construction). */
    constructor(startMs: number = Date.now()) {
        this.current = startMs;
    }

    /** The current virtual time. */
    now(): number {
        return this.current;
    }

    /** Moves the clock forward by `ms` (must not be negative). */
    advance(ms: number): void {
        if (!Number.isFinite(ms) || ms < 0) {
            throw new RangeError(`ManualClock.advance: ms must be a finite number >= 0, got ${ms}`);
        }
        this.current += ms;
    }

    /** Jumps to an absolute time (backwards is allowed, e.g. to simulate a skewed clock). */
    set(ms: number): void {
        if (!Number.isFinite(ms)) {
            throw new RangeError(`ManualClock.set: ms must be finite, got ${ms}`);
        }
        this.current = ms;
    }
}

/**
 * A world that runs `timeScale` times faster than the wall clock from `timeOrigin` on: at wall
 * time t it reads `timeOrigin + (t - timeOrigin) * timeScale`. Refreshes, pauses, lifecycle-hook
 * timeouts and events pass at that pace; signatures, the Date header and the request quota keep
 * the wall clock (`wall`), as the callers' own clocks and connections do.
 */
export class ScaledClock implements SimClock {
    constructor(
        readonly timeScale: number,
        readonly timeOrigin: number = Date.now(),
        readonly wall: SimClock = systemClock,
    ) {
        if (!Number.isFinite(timeScale) || timeScale < 1 || timeScale > MAX_TIME_SCALE) {
            throw new RangeError(
                `timeScale must be a number from 1 to ${MAX_TIME_SCALE}, got ${timeScale}`,
            );
        }
    }

    now(): number {
        return this.timeOrigin + (this.wall.now() - this.timeOrigin) * this.timeScale;
    }

    /**
     * The query a stack's endpoint carries so the provider keeps this world's time:
     * `?timeScale=K&timeOrigin=ISO-8601` (the README's "Rehearsing faster than real time").
     */
    paceQuery(): string {
        const origin = new Date(this.timeOrigin).toISOString();
        return `?timeScale=${this.timeScale}&timeOrigin=${origin}`;
    }
}

/** The fastest world: about 17 minutes of simulated time per second. */
export const MAX_TIME_SCALE = 1000;

/** The clock signatures, the Date header and quotas are read from: the wall under a scaled world. */
export function wallOf(clock: SimClock): SimClock {
    return clock instanceof ScaledClock ? clock.wall : clock;
}

/** The world clock of a simulator's options: `clock`, else a `timeScale` world, else the wall. */
export function worldClock(opts: { clock?: SimClock; timeScale?: number }): SimClock {
    if (opts.clock && opts.timeScale !== undefined) {
        throw new RangeError("give a simulator either clock or timeScale, not both");
    }
    return (
        opts.clock ?? (opts.timeScale !== undefined ? new ScaledClock(opts.timeScale) : systemClock)
    );
}

/** What a simulator's listen() resolves to. */
export interface Listening {
    port: number;
    /** http://127.0.0.1:port: the API, and the admin API under /_sandbox/. */
    endpoint: string;
    /**
     * What a stack's `endpoint` argument (or environment variable) takes: `endpoint`, plus the
     * world's pace when it runs faster than real time.
     */
    stackEndpoint: string;
}

/** The {@link Listening} of a simulator on `clock` that listens at `at`. */
export function listening(at: { port: number; endpoint: string }, clock: SimClock): Listening {
    const pace = clock instanceof ScaledClock ? `/${clock.paceQuery()}` : "";
    return { ...at, stackEndpoint: `${at.endpoint}${pace}` };
}

/** What `GET /_sandbox/clock` answers: the world's time and pace, for a stack to check its own. */
export interface ClockState {
    /** The world's time now (ISO 8601). */
    now: string;
    timeScale: number;
    /** Where the scaled world began (ISO 8601; null when it runs at the wall clock's pace). */
    timeOrigin: string | null;
}

/** The {@link ClockState} of `clock`. */
export function clockState(clock: SimClock): ClockState {
    const scaled = clock instanceof ScaledClock ? clock : undefined;
    return {
        now: new Date(clock.now()).toISOString(),
        timeScale: scaled?.timeScale ?? 1,
        timeOrigin: scaled ? new Date(scaled.timeOrigin).toISOString() : null,
    };
}
