import { Clock, systemClock } from "./clock";

/** How a failure is to be treated: retried (optionally not before `afterMs`), or given up on. */
export interface RetryDecision {
    retry: boolean;
    afterMs?: number;
}

/** Options of {@link withRetry}. */
export interface RetryOptions {
    /** Decides, per failure, whether to try again. */
    classify: (err: unknown) => RetryDecision;
    /** Attempts in all, the first included (default 6). */
    maxAttempts?: number;
    /** First backoff ceiling in ms (default 500); doubles per attempt. */
    baseDelayMs?: number;
    /** Backoff ceiling in ms (default 20000). */
    maxDelayMs?: number;
    /** The clock to sleep on (default the system clock). */
    clock?: Clock;
    /** A random source in [0, 1) for jitter (default Math.random). */
    random?: () => number;
    /** Aborts the waits between attempts. */
    signal?: AbortSignal;
    /** Called before each wait, with the failure and the delay chosen. */
    onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** The delay before retry `attempt` (1-based): "full jitter" exponential backoff. */
export function backoffDelay(
    attempt: number,
    baseDelayMs: number,
    maxDelayMs: number,
    random: () => number,
): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `fn` until it succeeds, a failure is classified as final, or the attempts run out; waits
 * between attempts with exponential backoff and jitter (never less than a server's `afterMs`).
 * The last failure is rethrown as it was.
 */
export async function withRetry<T>(
    fn: (attempt: number) => Promise<T>,
    opts: RetryOptions,
): Promise<T> {
    const maxAttempts = opts.maxAttempts ?? 6;
    const base = opts.baseDelayMs ?? 500;
    const max = opts.maxDelayMs ?? 20_000;
    const clock = opts.clock ?? systemClock;
    const random = opts.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
        try {
            return await fn(attempt);
        } catch (err) {
            const decision = opts.classify(err);
            if (!decision.retry || attempt >= maxAttempts) {
                throw err;
            }
            const delay = Math.max(decision.afterMs ?? 0, backoffDelay(attempt, base, max, random));
            opts.onRetry?.(err, attempt, delay);
            await clock.sleep(delay, opts.signal);
        }
    }
}
