/**
 * A client-side request rate limiter: one token bucket per cloud endpoint and access key, shared by
 * every resource of a stack (they all run in one provider process). Every request takes a token
 * first; a throttling answer halves the rate (multiplicative decrease), which then climbs back
 * linearly to the configured rate (additive increase). Pure apart from the injected clock.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { abortError, type Clock, systemClock } from "./clock";

/**
 * Whose turn comes first when callers wait for a token: the calls that act (start, cancel, a
 * heartbeat) are foreground; the looks of a wait are background, and give way to them.
 */
export type CallPriority = "foreground" | "background";

const priorityOfCalls = new AsyncLocalStorage<CallPriority>();

/** Runs `fn` with its cloud calls at background priority (the looks of a wait). */
export function inBackground<T>(fn: () => Promise<T>): Promise<T> {
    return priorityOfCalls.run("background", fn);
}

/** The priority of the calls made here (foreground unless inside {@link inBackground}). */
export function currentPriority(): CallPriority {
    return priorityOfCalls.getStore() ?? "foreground";
}

/** The default rate, requests per second per endpoint and access key. */
export const DEFAULT_MAX_RPS = 10;

/** The environment variable that overrides {@link DEFAULT_MAX_RPS} (a positive number). */
export const MAX_RPS_ENV = "PULUMI_ROLLOUT_MAX_RPS";

/** A background caller that has waited this long goes before foreground ones, ms. */
export const BACKGROUND_MAX_WAIT_MS = 10_000;

/** Options of a {@link RateLimiter}. */
export interface RateLimiterOptions {
    /** Sustained requests per second (> 0). */
    ratePerSecond: number;
    /** Tokens the bucket holds: requests that may go at once after a quiet spell (default: one second's worth, at least 1). */
    burst?: number;
    /** The floor a run of throttling answers can push the rate down to (default rate / 8). */
    minRatePerSecond?: number;
    /** How fast the rate climbs back after a throttling answer, requests/s per second (default rate / 10). */
    recoveryPerSecond?: number;
    /**
     * Throttling answers within this many ms of the last decrease count as the same congestion
     * (requests already in flight are answered alike): they do not halve the rate again (default 1000).
     */
    decreaseCooldownMs?: number;
    clock?: Clock;
}

/** A caller waiting for a token. */
interface Waiter {
    resolve: () => void;
    reject: (err: Error) => void;
    since: number;
    signal?: AbortSignal;
    onAbort?: () => void;
}

/**
 * A token bucket whose rate adapts to throttling answers (AIMD). Callers that find no token queue
 * up first come first served (foreground before background, unless a background caller has waited
 * 10 s: {@link CallPriority}), and one pump
 * lets them go as tokens refill at the rate of the moment:
 * a throttling answer slows the callers already waiting at once, and a rate that climbs back never
 * lets earlier debts go in a burst.
 */
export class RateLimiter {
    private readonly maxRate: number;
    private readonly minRate: number;
    private readonly burst: number;
    private readonly recovery: number;
    private readonly cooldownMs: number;
    private readonly clock: Clock;
    /** Tokens at `updatedAt` (at most the burst; 0 right after a throttling answer). */
    private tokens: number;
    private updatedAt: number;
    /** The rate just after the last decrease, and when it happened. */
    private floorRate: number;
    private decreasedAt: number | undefined;
    /** Callers waiting, by priority: foreground ones go first. */
    private readonly queues: Record<CallPriority, Waiter[]> = { foreground: [], background: [] };
    private pumping = false;
    /** Requests granted, throttling answers seen, and ms spent waiting for tokens, in all. */
    private stats = { granted: 0, throttled: 0, waitedMs: 0 };

    constructor(opts: RateLimiterOptions) {
        if (!(opts.ratePerSecond > 0) || !Number.isFinite(opts.ratePerSecond)) {
            throw new RangeError(`ratePerSecond must be > 0, got ${opts.ratePerSecond}`);
        }
        this.maxRate = opts.ratePerSecond;
        this.minRate = Math.min(this.maxRate, opts.minRatePerSecond ?? this.maxRate / 8);
        this.burst = Math.max(1, opts.burst ?? this.maxRate);
        this.recovery = opts.recoveryPerSecond ?? this.maxRate / 10;
        this.cooldownMs = opts.decreaseCooldownMs ?? 1000;
        this.clock = opts.clock ?? systemClock;
        this.tokens = this.burst;
        this.updatedAt = this.clock.now();
        this.floorRate = this.maxRate;
    }

    /** The current rate, requests per second. */
    rate(now = this.clock.now()): number {
        if (this.decreasedAt === undefined) {
            return this.maxRate;
        }
        const climbed = this.floorRate + (this.recovery * (now - this.decreasedAt)) / 1000;
        return Math.min(this.maxRate, climbed);
    }

    /** Counters since the limiter was made. */
    counters(): { granted: number; throttled: number; waitedMs: number; rate: number } {
        return { ...this.stats, rate: this.rate() };
    }

    /** How many callers are waiting for a token. */
    waiting(): number {
        return this.queues.foreground.length + this.queues.background.length;
    }

    /**
     * Waits for a token: at once when one is there and nobody waits, else in turn, foreground
     * callers before background ones (by default the priority of the calling context).
     */
    acquire(signal?: AbortSignal, priority: CallPriority = currentPriority()): Promise<void> {
        if (signal?.aborted) {
            return Promise.reject(abortError());
        }
        const now = this.clock.now();
        this.refill(now);
        if (this.waiting() === 0 && this.tokens >= 1) {
            this.tokens -= 1;
            this.stats.granted++;
            return Promise.resolve();
        }
        return new Promise<void>((resolve, reject) => {
            const w: Waiter = { resolve, reject, since: now, signal };
            if (signal) {
                w.onAbort = () => {
                    const queue = this.queues[priority];
                    const i = queue.indexOf(w);
                    if (i >= 0) {
                        queue.splice(i, 1);
                    }
                    reject(abortError());
                };
                signal.addEventListener("abort", w.onAbort, { once: true });
            }
            this.queues[priority].push(w);
            void this.pump();
        });
    }

    /**
     * A throttling answer: halves the rate (not below the floor; once per cooldown) and empties
     * the bucket, so the next requests, those already waiting too, are spaced at the new rate.
     */
    onThrottle(): void {
        const now = this.clock.now();
        this.stats.throttled++;
        this.refill(now);
        if (this.decreasedAt !== undefined && now - this.decreasedAt < this.cooldownMs) {
            return;
        }
        this.floorRate = Math.max(this.minRate, this.rate(now) / 2);
        this.decreasedAt = now;
        this.tokens = Math.min(this.tokens, 0);
    }

    /** Lets the waiting callers go, one token each, sleeping until the next token refills. */
    private async pump(): Promise<void> {
        if (this.pumping) {
            return;
        }
        this.pumping = true;
        try {
            // Callers already let go run first (on a virtual clock, before time moves on).
            await Promise.resolve();
            while (this.waiting() > 0) {
                const now = this.clock.now();
                this.refill(now);
                if (this.tokens >= 1) {
                    const w = this.next(now);
                    this.tokens -= 1;
                    this.stats.granted++;
                    this.stats.waitedMs += now - w.since;
                    if (w.onAbort) {
                        w.signal?.removeEventListener("abort", w.onAbort);
                    }
                    w.resolve();
                    await Promise.resolve(); // it goes before time moves on (a virtual clock)
                    continue;
                }
                const wait = Math.ceil(((1 - this.tokens) / this.rate(now)) * 1000);
                await this.clock.sleep(Math.max(1, wait));
            }
        } finally {
            this.pumping = false;
        }
    }

    /**
     * The waiter whose turn it is: the first foreground one, unless the first background one has
     * waited {@link BACKGROUND_MAX_WAIT_MS} already (a wait's look is delayed, never starved).
     */
    private next(now: number): Waiter {
        const bg = this.queues.background[0];
        if (
            bg &&
            (this.queues.foreground.length === 0 || now - bg.since >= BACKGROUND_MAX_WAIT_MS)
        ) {
            return this.queues.background.shift()!;
        }
        return this.queues.foreground.shift()!;
    }

    private refill(now: number): void {
        const elapsed = Math.max(0, now - this.updatedAt);
        this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.rate(now));
        this.updatedAt = now;
    }
}

/**
 * The rate from the environment ({@link MAX_RPS_ENV}), else {@link DEFAULT_MAX_RPS}. A value that is
 * not a positive number is refused with an error naming the variable.
 */
export function maxRpsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
    const raw = env[MAX_RPS_ENV];
    if (raw === undefined || raw.trim() === "") {
        return DEFAULT_MAX_RPS;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) {
        throw new Error(
            `${MAX_RPS_ENV} must be a positive number of requests per second, got ${JSON.stringify(raw)}`,
        );
    }
    return v;
}

/** Limiters by endpoint and access key id: one bucket per pair. */
export class RateLimiterRegistry {
    private readonly limiters = new Map<string, RateLimiter>();

    constructor(private readonly make: () => RateLimiter) {}

    /** The limiter of `endpoint` and `accessKeyId` (created on first use). */
    get(endpoint: string, accessKeyId: string | undefined): RateLimiter {
        const key = `${endpoint.toLowerCase()}\u0000${accessKeyId ?? ""}`;
        let l = this.limiters.get(key);
        if (!l) {
            l = this.make();
            this.limiters.set(key, l);
        }
        return l;
    }

    /** How many buckets exist. */
    size(): number {
        return this.limiters.size;
    }
}

let shared: RateLimiterRegistry | undefined;

/**
 * The process's limiters (the provider process's: every resource of a stack shares them), at the
 * rate {@link maxRpsFromEnv} gives when first used.
 */
export function sharedRateLimiters(): RateLimiterRegistry {
    if (!shared) {
        const ratePerSecond = maxRpsFromEnv();
        shared = new RateLimiterRegistry(() => new RateLimiter({ ratePerSecond }));
    }
    return shared;
}
