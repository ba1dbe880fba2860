/**
 * Request faults shared by the simulators: counters of errors to answer ("the next N matching
 * requests fail with X"), a response delay, and an optional list of actions they apply to.
 * Each simulator maps a fired counter to its own service's error.
 */

/**
 * Global request faults. They are applied after the signature check (a badly signed request
 * still gets its signature error) and before routing; each matching request consumes one.
 */
export interface SimFaults {
    /** The next N requests answer the service's throttling error. */
    throttleNext?: number;
    /** The next N requests answer the service's 500 internal error. */
    internalErrorNext?: number;
    /** The next N requests answer the service's 503 "unavailable" error. */
    serviceUnavailableNext?: number;
    /**
     * The next N requests are carried out, then their connection is reset halfway through the
     * response: the client gets no answer although the action took effect.
     */
    resetNext?: number;
    /** Every (matching) response is delayed by this many real milliseconds. */
    latencyMs?: number;
    /**
     * The simulator's clock for signatures (and the Date header) runs this many seconds ahead
     * (negative: behind): as if the caller's clock were that far off.
     */
    clockSkewSeconds?: number;
    /** If set, faults apply only to these actions. */
    actions?: string[];
}

/** The counters every simulator knows, in the order they fire. */
export const COMMON_FAULT_COUNTERS = [
    "throttleNext",
    "internalErrorNext",
    "serviceUnavailableNext",
] as const;

/** Holds the current faults; `K` names the counters (e.g. "throttleNext"). */
export class FaultInjector<K extends string> {
    private counts = new Map<K, number>();
    private latencyMs = 0;
    private resets = 0;
    private skewMs = 0;
    private actions?: ReadonlySet<string>;

    /**
     * @param typeName used in validation errors, e.g. "EssFaults"
     * @param counters counter names, in the order they fire when several are pending
     */
    constructor(
        private readonly typeName: string,
        private readonly counters: readonly K[],
    ) {}

    /** Replaces all faults (validating them first; nothing changes if they are invalid). */
    set(
        faults: Partial<Record<K, number>> & {
            latencyMs?: number;
            resetNext?: number;
            clockSkewSeconds?: number;
            actions?: string[];
        },
    ): void {
        const latencyMs = faults.latencyMs ?? 0;
        if (!Number.isFinite(latencyMs) || latencyMs < 0) {
            throw new RangeError(`${this.typeName}.latencyMs must be >= 0, got ${latencyMs}`);
        }
        const resets = faults.resetNext ?? 0;
        if (!Number.isInteger(resets) || resets < 0) {
            throw new RangeError(
                `${this.typeName}.resetNext must be an integer >= 0, got ${resets}`,
            );
        }
        const skew = faults.clockSkewSeconds ?? 0;
        if (!Number.isFinite(skew)) {
            throw new RangeError(`${this.typeName}.clockSkewSeconds must be finite, got ${skew}`);
        }
        const counts = new Map<K, number>();
        for (const name of this.counters) {
            const v = (faults as Partial<Record<K, number>>)[name];
            if (v === undefined) {
                continue;
            }
            if (!Number.isInteger(v) || v < 0) {
                throw new RangeError(`${this.typeName}.${name} must be an integer >= 0, got ${v}`);
            }
            counts.set(name, v);
        }
        this.counts = counts;
        this.latencyMs = latencyMs;
        this.resets = resets;
        this.skewMs = skew * 1000;
        this.actions = faults.actions ? new Set(faults.actions) : undefined;
    }

    /** Whether faults apply to this action. */
    applies(action: string): boolean {
        return this.actions === undefined || this.actions.has(action);
    }

    /**
     * Consumes and returns the first pending counter that applies to `action` (and that
     * `eligible` accepts, when given), or undefined when none fires.
     */
    take(action: string, eligible?: (counter: K) => boolean): K | undefined {
        if (!this.applies(action)) {
            return undefined;
        }
        for (const name of this.counters) {
            const left = this.counts.get(name) ?? 0;
            if (left > 0 && (!eligible || eligible(name))) {
                this.counts.set(name, left - 1);
                return name;
            }
        }
        return undefined;
    }

    /** Whether the response to `action` is to be cut by a connection reset (consumes one). */
    takeReset(action: string): boolean {
        if (this.resets > 0 && this.applies(action)) {
            this.resets--;
            return true;
        }
        return false;
    }

    /** How far (ms) the signature clock runs ahead of the simulator's clock (for every action). */
    clockSkewMs(): number {
        return this.skewMs;
    }

    /** The delay (real ms) to apply to a response to `action`. */
    delayMs(action: string): number {
        return this.applies(action) ? this.latencyMs : 0;
    }
}
