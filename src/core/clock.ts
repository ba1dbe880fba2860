/** Time as the poller and the retry loop see it: injectable so waits are testable without real time. */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    /** Resolves after `ms` milliseconds, or rejects with an AbortError when `signal` aborts. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real wall clock. */
export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
            if (signal?.aborted) {
                reject(abortError());
                return;
            }
            const onAbort = (): void => {
                clearTimeout(timer);
                reject(abortError());
            };
            const timer = setTimeout(
                () => {
                    signal?.removeEventListener("abort", onAbort);
                    resolve();
                },
                Math.max(0, ms),
            );
            signal?.addEventListener("abort", onAbort, { once: true });
        }),
};

/** The error a clock's sleep rejects with when its signal aborts. */
export function abortError(): Error {
    const err = new Error("The wait was aborted.");
    err.name = "AbortError";
    return err;
}

/**
 * A clock whose sleeps pass no real time: each sleep moves the clock forward at once. Drives the
 * poller in tests and benchmarks (and, through `now()`, a simulator sharing it).
 */
export class VirtualClock implements Clock {
    /** Every sleep requested, in ms, in order. */
    readonly sleeps: number[] = [];

    constructor(private t = Date.UTC(2026, 0, 1)) {}

    now(): number {
        return this.t;
    }

    /** Moves the clock forward by `ms`. */
    advance(ms: number): void {
        this.t += ms;
    }

    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) {
            throw abortError();
        }
        this.sleeps.push(ms);
        this.t += Math.max(0, ms);
        await Promise.resolve();
    }
}
