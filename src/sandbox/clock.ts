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
