/**
 * Keeping a lifecycle hook's pending actions alive with RecordLifecycleActionHeartbeat, within a
 * policy's caps and the cloud's: which action gets a heartbeat when, how long a window it asks
 * for, and when heartbeats stop (and why). Cloud-neutral: the calls are behind HeartbeatTarget.
 */
import type { Clock } from "./clock";
import { CloudError, messageOf } from "./errors";
import { formatDuration } from "./refreshRunner";

/** What a cloud allows the heartbeats of one lifecycle action. */
export interface CloudHeartbeatCaps {
    /** e.g. "ESS", "Auto Scaling": named in messages. */
    cloud: string;
    /**
     * Whether each heartbeat chooses its window (ESS: heartbeatTimeout) or always restarts the
     * hook's own HeartbeatTimeout (AWS).
     */
    choosesWindow: boolean;
    /** Shortest window one heartbeat may ask for, seconds (30 on both clouds). */
    minWindowSeconds: number;
    /** Heartbeats per Pending period (ESS 20; AWS: no count, Infinity). */
    maxHeartbeats: number;
    /** Longest time an action may stay pending, seconds (ESS 6 h; AWS its GlobalTimeout). */
    maxPendingSeconds: number;
}

/** A resolved heartbeat policy for one hook: the user's caps and what the hook says. */
export interface HeartbeatPolicySpec {
    /** The hook: ESS lifecycleHookId, AWS LifecycleHookName. */
    hookId: string;
    /** The window each heartbeat asks for (on AWS, the hook's HeartbeatTimeout), seconds. */
    heartbeatTimeoutSeconds: number;
    /** At most this many heartbeats per action. */
    maxHeartbeats: number;
    /** No heartbeat keeps an action pending past this many minutes after it began. */
    maxPendingMinutes: number;
    /** The hook's own HeartbeatTimeout: the first window of every action, seconds. */
    hookTimeoutSeconds: number;
    /** What the cloud does when a window closes (CONTINUE, ABANDON, ROLLBACK). */
    defaultResult: string;
}

/** A lifecycle action pending on the hook. */
export interface PendingLifecycleAction {
    instanceId: string;
    /** The action's token, where the cloud gives one. */
    token?: string;
    /** When the action began (ms since epoch), where the cloud tells; otherwise unknown. */
    pendingSince?: number;
}

/** The cloud calls a keeper makes. */
export interface HeartbeatTarget {
    /** The actions pending on the hook now. */
    pending(): Promise<PendingLifecycleAction[]>;
    /** RecordLifecycleActionHeartbeat: the action's window becomes `windowSeconds` from now. */
    record(action: PendingLifecycleAction, windowSeconds: number): Promise<void>;
}

/** What happened to one action's heartbeats. */
export interface HeartbeatReport {
    instanceId: string;
    hookId: string;
    /** pending: still being kept alive; ended: its action ended (completed, or the default result); stopped: a cap or an error stopped the heartbeats. */
    state: "pending" | "ended" | "stopped";
    heartbeats: number;
    /** When it was first seen pending (ISO 8601). */
    firstSeenAt: string;
    lastHeartbeatAt: string | null;
    /** For stopped: which cap or error, in words. */
    reason: string | null;
}

interface Tracked {
    action: PendingLifecycleAction;
    firstSeen: number;
    pendingSince: number;
    /** When its window closes, as far as this keeper knows. */
    windowEnd: number;
    heartbeats: number;
    lastAt?: number;
    state: HeartbeatReport["state"];
    reason?: string;
    /** No longer pending in the cloud. */
    gone?: boolean;
    /** A heartbeat was refused: if the action is still pending at the next look, heartbeats stop. */
    refused?: string;
}

/**
 * How far `n` heartbeats of `windowSeconds` each surely extend an action's pending time, in
 * seconds: each is sent a margin before the window it extends closes.
 */
export function heartbeatReachSeconds(n: number, windowSeconds: number): number {
    return n * (windowSeconds - heartbeatMarginMs(windowSeconds * 1000) / 1000);
}

/** How long before a window closes its heartbeat is sent. */
export function heartbeatMarginMs(windowMs: number): number {
    return Math.min(Math.max(10_000, windowMs * 0.2), 120_000, windowMs / 2);
}

/**
 * Keeps the pending actions of one hook alive. Call {@link tick} while waiting: it sends the
 * heartbeats that are due and returns how soon it must be called again. It never sends more
 * heartbeats than the policy and the cloud allow, never asks for a window that ends past
 * `maxPendingMinutes` (or the cloud's cap), and stops an action's heartbeats on a cap error with a
 * warning, without failing anything by itself.
 */
export class HeartbeatKeeper {
    private readonly actions = new Map<string, Tracked>();
    /** When the previous look at the pending actions was made. */
    private lastTick?: number;

    constructor(
        private readonly target: HeartbeatTarget,
        private readonly policy: HeartbeatPolicySpec,
        private readonly caps: CloudHeartbeatCaps,
        private readonly clock: Clock,
        private readonly log: (line: string) => void,
    ) {}

    /**
     * Sends the heartbeats due now; returns the ms until the next one is due (or a look is). With
     * `send: false`, only looks: which actions ended (a last look when the wait is over).
     */
    async tick(opts: { send?: boolean } = {}): Promise<number> {
        // Taken before the look: every time derived from it errs early (safe), and the time the
        // look and the heartbeats take comes off the delay returned.
        const now = this.clock.now();
        const pending = await this.target.pending();
        const seen = new Set<string>();
        for (const action of pending) {
            const key = keyOf(action);
            seen.add(key);
            if (!this.actions.has(key)) {
                // When it began: no earlier than the cloud says (ESS gives the scaling activity's
                // start, to the minute) nor than the last look that did not see it. With neither,
                // its window may close any time: a heartbeat now makes it known.
                const bounds = [action.pendingSince, this.lastTick].filter(
                    (b): b is number => b !== undefined,
                );
                const bound = bounds.length > 0 ? Math.max(...bounds) : undefined;
                const since = Math.min(bound ?? now, now);
                this.actions.set(key, {
                    action,
                    firstSeen: now,
                    pendingSince: since,
                    windowEnd:
                        bound === undefined ? now : since + this.policy.hookTimeoutSeconds * 1000,
                    heartbeats: 0,
                    state: "pending",
                });
                this.log(
                    `${action.instanceId} is pending in lifecycle hook ${this.policy.hookId}` +
                        (bound === undefined ? "" : ` (for ${formatDuration(now - since)})`),
                );
            }
        }
        for (const t of this.actions.values()) {
            if (!t.gone && !seen.has(keyOf(t.action))) {
                t.gone = true;
                const after = `after ${plural(t.heartbeats, "heartbeat")} (pending ${formatDuration(now - t.pendingSince)})`;
                if (t.state === "pending") {
                    t.state = "ended";
                    this.log(`${t.action.instanceId}: lifecycle action ended ${after}`);
                } else {
                    this.log(
                        `${t.action.instanceId}: lifecycle action ended ${after}, its heartbeats stopped: ${t.reason ?? ""}`,
                    );
                }
            }
        }
        // Look again before a newly pending action's first window could close unseen.
        let next = Math.max(1_000, (this.policy.hookTimeoutSeconds * 1000) / 2);
        for (const t of this.actions.values()) {
            if (t.state !== "pending" || t.gone || opts.send === false) {
                continue;
            }
            if (t.refused !== undefined) {
                // Still pending after a refusal: a cap or a bad token, not an action that ended.
                this.stop(t, `the heartbeat was refused: ${t.refused}`);
                continue;
            }
            const due = t.windowEnd - heartbeatMarginMs(t.windowEnd - (t.lastAt ?? t.pendingSince));
            if (now < due) {
                next = Math.min(next, due - now);
                continue;
            }
            const after = await this.beat(t, now);
            if (after !== undefined) {
                next = Math.min(next, after);
            }
        }
        this.lastTick = now;
        return Math.max(1_000, next - (this.clock.now() - now));
    }

    /** What happened to every action seen so far. */
    report(): HeartbeatReport[] {
        return [...this.actions.values()].map((t) => ({
            instanceId: t.action.instanceId,
            hookId: this.policy.hookId,
            state: t.state,
            heartbeats: t.heartbeats,
            firstSeenAt: new Date(t.firstSeen).toISOString(),
            lastHeartbeatAt: t.lastAt === undefined ? null : new Date(t.lastAt).toISOString(),
            reason: t.reason ?? null,
        }));
    }

    /** Sends one action's due heartbeat, or stops its heartbeats; the ms until it is due again. */
    private async beat(t: Tracked, now: number): Promise<number | undefined> {
        const id = t.action.instanceId;
        const policyCap = this.policy.maxPendingMinutes * 60_000;
        const cloudCap = this.caps.maxPendingSeconds * 1000;
        const limitEnd = t.pendingSince + Math.min(policyCap, cloudCap);
        const capName =
            policyCap <= cloudCap
                ? `maxPendingMinutes (${this.policy.maxPendingMinutes})`
                : `${this.caps.cloud}'s cap of ${formatDuration(cloudCap)} pending`;
        const maxBeats = Math.min(this.policy.maxHeartbeats, this.caps.maxHeartbeats);
        if (t.heartbeats >= maxBeats) {
            return this.stop(
                t,
                this.policy.maxHeartbeats <= this.caps.maxHeartbeats
                    ? `maxHeartbeats (${this.policy.maxHeartbeats}) reached`
                    : `${this.caps.cloud}'s cap of ${this.caps.maxHeartbeats} heartbeats per Pending period reached`,
            );
        }
        let window = this.policy.heartbeatTimeoutSeconds;
        if (this.caps.choosesWindow) {
            window = Math.min(window, Math.floor((limitEnd - now) / 1000));
            if (window < this.caps.minWindowSeconds) {
                return this.stop(t, `${capName} reached`);
            }
        } else if (now + window * 1000 > limitEnd) {
            return this.stop(
                t,
                `${capName} would be passed: one more heartbeat keeps it pending ${window} s, to ` +
                    `${formatDuration(now + window * 1000 - t.pendingSince)}`,
            );
        }
        try {
            await this.target.record(t.action, window);
        } catch (err) {
            if (err instanceof CloudError && err.transient) {
                this.log(`${id}: heartbeat answered ${err.code}; trying again shortly`);
                return 5_000;
            }
            // The action may just have ended (its bootstrap completed): the next look tells.
            t.refused = messageOf(err);
            return 2_000;
        }
        t.heartbeats++;
        t.lastAt = now;
        t.windowEnd = now + window * 1000;
        this.log(
            `${id}: heartbeat ${t.heartbeats} of at most ${maxBeats === Infinity ? "∞" : maxBeats} ` +
                `in hook ${this.policy.hookId}: window extended ${window} s ` +
                `(pending ${formatDuration(now - t.pendingSince)}, at most ${formatDuration(limitEnd - t.pendingSince)})`,
        );
        return t.windowEnd - heartbeatMarginMs(window * 1000) - now;
    }

    private stop(t: Tracked, reason: string): undefined {
        t.state = "stopped";
        t.reason = reason;
        this.log(
            `warning: ${t.action.instanceId}: heartbeats stopped after ${plural(t.heartbeats, "heartbeat")}: ${reason}; ` +
                `the hook's default result (${this.policy.defaultResult}) applies when its window closes` +
                (t.windowEnd > this.clock.now()
                    ? ` at ${new Date(t.windowEnd).toISOString()}`
                    : ""),
        );
        return undefined;
    }
}

/** An action's identity: its token where the cloud gives one (ESS lists its instances in any order). */
function keyOf(a: PendingLifecycleAction): string {
    return a.token ? `token/${a.token}` : `instance/${a.instanceId}`;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}
