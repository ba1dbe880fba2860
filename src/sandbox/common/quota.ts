/**
 * An account-wide request quota, as the clouds enforce flow control: a token bucket per access key
 * (every API of the simulator counts against it), refilled at `requestsPerSecond` and holding at
 * most `burst` requests. A request beyond it is answered with the service's throttling error.
 * Applied after the signature check (a badly signed request is not counted), before the faults.
 */
import { AdminError, optionalNumber } from "./admin";

/** The quota a simulator enforces; unset, none. */
export interface SimQuota {
    /** Requests per second each access key may make (> 0), across all actions. */
    requestsPerSecond: number;
    /** Requests an access key may make at once after a quiet spell (default: requestsPerSecond, at least 1). */
    burst?: number;
}

/** What a quota has done: its settings and how many requests it admitted and refused. */
export interface SimQuotaState {
    requestsPerSecond?: number;
    burst?: number;
    admitted: number;
    throttled: number;
}

/** Validates a quota; throws a RangeError naming the bad field. */
export function checkQuota(q: SimQuota): void {
    if (!Number.isFinite(q.requestsPerSecond) || q.requestsPerSecond <= 0) {
        throw new RangeError(`SimQuota.requestsPerSecond must be > 0, got ${q.requestsPerSecond}`);
    }
    if (q.burst !== undefined && (!Number.isFinite(q.burst) || q.burst < 1)) {
        throw new RangeError(`SimQuota.burst must be >= 1, got ${q.burst}`);
    }
}

/** Reads a quota from an admin JSON body: `{}` (or no requestsPerSecond) removes it. */
export function parseQuotaJson(o: Record<string, unknown>): SimQuota | undefined {
    const requestsPerSecond = optionalNumber(o, "requestsPerSecond");
    const burst = optionalNumber(o, "burst");
    if (requestsPerSecond === undefined) {
        if (burst !== undefined) {
            throw new AdminError(400, "burst needs requestsPerSecond");
        }
        return undefined;
    }
    const q: SimQuota = burst === undefined ? { requestsPerSecond } : { requestsPerSecond, burst };
    try {
        checkQuota(q);
    } catch (e) {
        throw new AdminError(400, e instanceof Error ? e.message : String(e));
    }
    return q;
}

/** Token buckets per access key, on the simulator's clock. */
export class RequestQuota {
    private quota?: SimQuota;
    private readonly buckets = new Map<string, { tokens: number; at: number }>();
    private admitted = 0;
    private throttled = 0;

    constructor(quota?: SimQuota) {
        this.set(quota);
    }

    /** Replaces the quota (undefined: none); buckets start full, counters start at 0. */
    set(quota: SimQuota | undefined): void {
        if (quota) {
            checkQuota(quota);
        }
        this.quota = quota ? { ...quota } : undefined;
        this.buckets.clear();
        this.admitted = 0;
        this.throttled = 0;
    }

    /** The settings and counters. */
    state(): SimQuotaState {
        return {
            ...(this.quota ? { requestsPerSecond: this.quota.requestsPerSecond } : {}),
            ...(this.quota ? { burst: this.burstOf(this.quota) } : {}),
            admitted: this.admitted,
            throttled: this.throttled,
        };
    }

    /**
     * Takes a token of `accessKeyId`'s bucket at simulator time `nowMs`: true when the request
     * is within the quota (always, with no quota), false when it is to be throttled.
     */
    take(accessKeyId: string, nowMs: number): boolean {
        const q = this.quota;
        if (!q) {
            return true;
        }
        const burst = this.burstOf(q);
        const b = this.buckets.get(accessKeyId) ?? { tokens: burst, at: nowMs };
        b.tokens = Math.min(
            burst,
            b.tokens + (Math.max(0, nowMs - b.at) / 1000) * q.requestsPerSecond,
        );
        b.at = Math.max(b.at, nowMs);
        this.buckets.set(accessKeyId, b);
        if (b.tokens >= 1) {
            b.tokens -= 1;
            this.admitted++;
            return true;
        }
        this.throttled++;
        return false;
    }

    private burstOf(q: SimQuota): number {
        return Math.max(1, q.burst ?? q.requestsPerSecond);
    }
}
