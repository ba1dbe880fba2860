/**
 * The rollout plan a refresh's preview prints: what a refresh of these inputs would do to the
 * group as the cloud describes it now (read-only), how many at a time, about how long, and what is
 * in the way. Pure: each cloud's resource builds the plan from what its reads returned; this module
 * sizes the batches, estimates the time and writes the lines.
 */
import { formatDuration, isTerminal, type TaskPhase } from "./refreshRunner";

/** An instance the refresh leaves alone, and why. */
export interface SkippedInstance {
    instanceId: string;
    reason: string;
}

/** A checkpoint: where the refresh pauses, and for how long. */
export interface PlannedCheckpoint {
    percentage: number;
    pauseSeconds: number;
}

/** A time estimate, always with what it rests on. */
export interface PlanEstimate {
    /** Seconds; with `atLeast`, a lower bound. */
    seconds: number;
    /** True when the estimate only adds up what is known (pauses, warm-up) and is a lower bound. */
    atLeast: boolean;
    basis: string;
}

/** What `pulumi up` would do, as the plan sees it. */
export type PlanVerdict =
    /** Start a refresh now. */
    | "start"
    /** Wait for a refresh already running on the group, then start (onConflict "wait"). */
    | "waitThenStart"
    /** Cancel the refresh already running, then start (onConflict "cancel"). */
    | "cancelThenStart"
    /** Fail without starting (onConflict "fail", or a refusal the cloud's rules foretell). */
    | "fail"
    /** Start nothing: there is nothing to replace, and the cloud refuses such a refresh. */
    | "nothing";

/** A refresh's plan: every fact is the cloud's, read at preview (or just before up starts). */
export interface RolloutPlan {
    /** The group (id or name) and region. */
    group: string;
    region: string;
    /** The group's capacity (desired or total), and how many instances it lists. */
    capacity: number;
    instances: number;
    /** Instances that would be replaced: their count, and their ids (the first MAX_LISTED). */
    toReplace: number;
    /** Set when the cloud cannot tell which instances already match: then toReplace is at most. */
    toReplaceAtMost: boolean;
    replaceIds: string[];
    /** What makes an instance one to replace, in words. */
    replaceRule: string;
    /** Instances already on the desired configuration (skipMatching), when the cloud can tell. */
    alreadyDesired: number;
    skipped: SkippedInstance[];
    /** Instances replaced at a time, how that follows, and how many batches. */
    batchSize: number;
    batchRule: string;
    batches: number;
    checkpoints: PlannedCheckpoint[];
    /** Checkpoint pauses the refresh makes (where a batch crosses one with instances left). */
    pauses: number;
    estimate: PlanEstimate | undefined;
    /** Why there is no estimate, when there is none. */
    noEstimate?: string;
    /** Each thing in the way, in words (a running refresh, a refusal foretold, a hook). */
    inTheWay: string[];
    verdict: PlanVerdict;
    /** What `pulumi up` would do, in words. */
    upWill: string;
}

/** How many instance ids a plan lists before it only counts. */
export const MAX_LISTED = 10;

/**
 * Instances replaced per batch, as both clouds document it: below capacity by
 * (100 - minHealthy)%, above it by (maxHealthy - 100)%, at least one.
 */
export function batchSizeOf(capacity: number, minHealthy: number, maxHealthy: number): number {
    const below = Math.floor((capacity * (100 - minHealthy)) / 100);
    const above = Math.floor((capacity * Math.max(0, maxHealthy - 100)) / 100);
    return Math.max(1, below + above);
}

/** A finished refresh of the group: how long it took, and how many it replaced (if reported). */
export interface PastRefresh {
    id: string;
    seconds: number;
    replaced?: number;
    /** Of its time, what its own checkpoint pauses and bake time took (taken out of the rate). */
    pauseSeconds?: number;
}

/** How a refresh of `total` instances proceeds: batches, pauses, and how many it replaces. */
export interface Schedule {
    batches: number;
    pauses: number;
    replaced: number;
}

/**
 * The batches and checkpoint pauses of a refresh of `total` instances, `batchSize` at a time. A
 * pause comes where a batch crosses a checkpoint below 100% with instances still left. AWS also
 * cuts a batch short at a checkpoint, and ends at the last checkpoint when it is below 100%
 * (`aws`); ESS does neither (its last checkpoint is 100%).
 */
export function scheduleOf(
    total: number,
    batchSize: number,
    checkpoints: readonly number[],
    aws: boolean,
): Schedule {
    const last = checkpoints[checkpoints.length - 1];
    const stopAt =
        aws && last !== undefined && last < 100 ? Math.ceil((last * total) / 100) : total;
    let done = 0;
    let batches = 0;
    let pauses = 0;
    let next = 0;
    while (done < stopAt) {
        let n = Math.min(batchSize, total - done);
        const cp = checkpoints[next];
        if (aws && cp !== undefined) {
            const needed = Math.ceil((cp * total) / 100) - done;
            if (needed > 0) {
                n = Math.min(n, needed);
            }
        }
        done += n;
        batches++;
        if (done >= total) {
            break;
        }
        let crossed = false;
        while (
            next < checkpoints.length &&
            (checkpoints[next] ?? 100) < 100 &&
            (done * 100) / total >= (checkpoints[next] ?? 100)
        ) {
            next++;
            crossed = true;
        }
        if (crossed) {
            if (aws && next >= checkpoints.length) {
                break;
            }
            pauses++;
        }
    }
    return { batches, pauses, replaced: done };
}

/**
 * The time a refresh of `toReplace` instances in `batches` should take. From the group's last
 * successful refreshes where there are any: their median time per instance (where the cloud
 * reports how many they replaced), else their median duration; plus the pauses. Otherwise the
 * pauses and the warm-up per batch (a lower bound: launch time is not known). None when nothing
 * is known at all.
 */
export function estimateOf(p: {
    toReplace: number;
    batches: number;
    past: readonly PastRefresh[];
    pauseSeconds: number;
    warmupSeconds?: number;
    warmupSource?: string;
}): PlanEstimate | undefined {
    const median = (xs: number[]): number => {
        const s = [...xs].sort((a, b) => a - b);
        return s[Math.floor((s.length - 1) / 2)] ?? 0;
    };
    const pauses =
        p.pauseSeconds > 0 ? `, plus ${formatDuration(p.pauseSeconds * 1000)} of pauses` : "";
    const working = (r: PastRefresh): number => Math.max(0, r.seconds - (r.pauseSeconds ?? 0));
    const counted = p.past.filter((r) => r.replaced !== undefined && r.replaced > 0);
    if (counted.length > 0) {
        const perInstance = median(counted.map((r) => working(r) / r.replaced!));
        return {
            seconds: Math.round(perInstance * p.toReplace + p.pauseSeconds),
            atLeast: false,
            basis:
                `${formatDuration(perInstance * 1000)} per instance, the median of the group's last ` +
                `${counted.length} successful refresh${counted.length === 1 ? "" : "es"}${pauses}`,
        };
    }
    if (p.past.length > 0) {
        const each = median(p.past.map(working));
        return {
            seconds: Math.round(each + p.pauseSeconds),
            atLeast: false,
            basis:
                `the median duration of the group's last ${p.past.length} successful ` +
                `refresh${p.past.length === 1 ? "" : "es"} without their pauses (the cloud does not ` +
                `report how many each replaced)${pauses}`,
        };
    }
    const warm = p.warmupSeconds ?? 0;
    if (warm <= 0 && p.pauseSeconds <= 0) {
        return undefined;
    }
    const parts = [
        warm > 0
            ? `${p.batches} batch${p.batches === 1 ? "" : "es"} × ${warm} s warm-up (${p.warmupSource ?? "instanceWarmup"})`
            : "",
        p.pauseSeconds > 0 ? `${formatDuration(p.pauseSeconds * 1000)} of checkpoint pauses` : "",
    ].filter(Boolean);
    return {
        seconds: p.batches * warm + p.pauseSeconds,
        atLeast: true,
        basis: `${parts.join(" + ")}; launch and bootstrap time are not known (no finished refresh of the group to learn from)`,
    };
}

/** The ids, the first MAX_LISTED of them, then a count of the rest. */
export function listed(ids: readonly string[], total = ids.length): string {
    const shown = ids.slice(0, MAX_LISTED).join(", ");
    const rest = total - Math.min(ids.length, MAX_LISTED);
    return rest > 0 ? `${shown} and ${rest} more` : shown;
}

/** The plan as the lines preview prints (each prefixed by the resource's label by the caller). */
export function planLines(plan: RolloutPlan): string[] {
    const lines = [
        `plan: group ${plan.group} (${plan.region}): capacity ${plan.capacity}, ` +
            `${plan.instances} instance${plan.instances === 1 ? "" : "s"}`,
    ];
    const count = `${plan.toReplaceAtMost ? "up to " : ""}${plan.toReplace}`;
    lines.push(
        `plan: replace ${count}${plan.replaceIds.length > 0 ? `: ${listed(plan.replaceIds, plan.toReplace)}` : ""} ` +
            `(${plan.replaceRule})`,
    );
    if (plan.alreadyDesired > 0) {
        lines.push(`plan: ${plan.alreadyDesired} already on the desired configuration, kept`);
    }
    if (plan.skipped.length > 0) {
        const byReason = new Map<string, string[]>();
        for (const s of plan.skipped) {
            byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.instanceId]);
        }
        for (const [reason, ids] of byReason) {
            lines.push(`plan: skip ${ids.length}: ${listed(ids)} (${reason})`);
        }
    }
    if (plan.toReplace > 0) {
        const pause = plan.checkpoints.find((c) => c.pauseSeconds > 0)?.pauseSeconds ?? 0;
        const cps =
            plan.checkpoints.length > 0
                ? `; checkpoints ${plan.checkpoints.map((c) => `${c.percentage}%`).join(", ")}: ` +
                  (plan.pauses > 0
                      ? `${plan.pauses} pause${plan.pauses === 1 ? "" : "s"} of ${formatDuration(pause * 1000)}`
                      : "no pause")
                : "";
        lines.push(
            `plan: batches of ${plan.batchSize} (${plan.batchRule}): ${plan.batches} ` +
                `batch${plan.batches === 1 ? "" : "es"}${cps}`,
        );
        lines.push(
            plan.estimate
                ? `plan: estimate ${plan.estimate.atLeast ? "at least" : "about"} ` +
                      `${formatDuration(plan.estimate.seconds * 1000)} (${plan.estimate.basis})`
                : `plan: no estimate (${plan.noEstimate ?? "nothing to base one on"})`,
        );
    }
    for (const w of plan.inTheWay) {
        lines.push(`plan: in the way: ${w}`);
    }
    lines.push(`plan: up will ${plan.upWill}`);
    return lines;
}

/** A refresh of the group that has not ended, as the plan saw it. */
export interface RunningRefresh {
    id: string;
    status: string;
    phase: TaskPhase;
    progress?: string;
}

/** The group's refresh that has not ended, the latest first (none when all have ended). */
export function runningOf<T extends { startTime?: string }>(
    refreshes: readonly T[],
    view: (r: T) => RunningRefresh,
): RunningRefresh | undefined {
    return newestFirst(refreshes)
        .map(view)
        .find((r) => !isTerminal(r.phase));
}

/** What stands before the start, and so what `pulumi up` will do. */
export interface Decision {
    verdict: PlanVerdict;
    inTheWay: string[];
    upWill: string;
}

/**
 * What `pulumi up` will do, as the runner decides it: a refusal the cloud's rules foretell fails
 * it; a refresh that has not ended is waited for when it is being cancelled or rolled back,
 * superseded (cancelled) when it is this resource's own, and otherwise left to `onConflict`;
 * with nothing to replace, `nothing` says what then happens; else a refresh starts.
 */
export function decide(p: {
    refusal?: string;
    running?: RunningRefresh;
    ownTaskId?: string;
    onConflict: string;
    timeoutMinutes: number;
    toReplace: number;
    atMost: boolean;
    nothing: { verdict: PlanVerdict; upWill: string };
}): Decision {
    const refresh = `a refresh replacing ${p.atMost ? "up to " : ""}${p.toReplace} instance${p.toReplace === 1 ? "" : "s"}`;
    const within = `within timeoutMinutes ${p.timeoutMinutes}`;
    const start = `start ${refresh}, and wait for it to end (${within})`;
    const after = `then start ${refresh} and wait for it to end, all ${within}`;
    if (p.refusal) {
        return {
            verdict: "fail",
            inTheWay: [p.refusal],
            upWill: "fail without starting anything, for the reason above",
        };
    }
    const r = p.running;
    if (r) {
        const ours = r.id === p.ownTaskId;
        const what = `refresh ${r.id} is ${r.status}${r.progress ? ` (${r.progress})` : ""} on the group, ${ours ? "this resource's previous one" : "not started by this resource"}`;
        if (r.phase === "cancelling" || r.phase === "rollingBack") {
            return {
                verdict: "waitThenStart",
                inTheWay: [`${what}: it is left to end`],
                upWill: `wait for that refresh to end, ${after}`,
            };
        }
        if (ours) {
            return {
                verdict: "cancelThenStart",
                inTheWay: [`${what}: this change supersedes it`],
                upWill: `cancel that refresh, wait for it to end, ${after}`,
            };
        }
        switch (p.onConflict) {
            case "cancel":
                return {
                    verdict: "cancelThenStart",
                    inTheWay: [`${what}: onConflict "cancel" cancels it`],
                    upWill: `cancel that refresh, wait for it to end, ${after}`,
                };
            case "fail":
                return {
                    verdict: "fail",
                    inTheWay: [`${what}: onConflict "fail"`],
                    upWill: 'fail without starting anything, as onConflict is "fail"',
                };
            default:
                return {
                    verdict: "waitThenStart",
                    inTheWay: [`${what}: onConflict "wait" waits for it to end`],
                    upWill: `wait for that refresh to end, ${after}`,
                };
        }
    }
    if (p.toReplace === 0 && !p.atMost) {
        return { ...p.nothing, inTheWay: [] };
    }
    return { verdict: "start", inTheWay: [], upWill: start };
}

/** A launching lifecycle hook, as the plan words it. */
export interface LaunchHook {
    name: string;
    timeoutSeconds?: number;
    defaultResult?: string;
    /** Whether one of the resource's heartbeatPolicies keeps its actions alive. */
    covered: boolean;
}

/** What a launching hook no heartbeat policy covers means for the refresh's new instances. */
export function hookWarnings(hooks: readonly LaunchHook[], timeoutWord: string): string[] {
    return hooks
        .filter((h) => !h.covered)
        .map(
            (h) =>
                `lifecycle hook ${h.name} holds each new instance at most ${h.timeoutSeconds ?? "?"} s` +
                `${timeoutWord}, then ${h.defaultResult ?? "CONTINUE"}: a longer bootstrap needs heartbeatPolicies`,
        );
}

/** Refreshes, the latest started first (whatever order the cloud listed them in). */
export function newestFirst<T extends { startTime?: string }>(xs: readonly T[]): T[] {
    const t = (x: T): number => Date.parse(x.startTime ?? "") || 0;
    return [...xs].sort((a, b) => t(b) - t(a));
}

/** How many of the group's last successful refreshes an estimate learns from. */
const PAST_REFRESHES = 5;

/** The group's last successful refreshes, the latest first, with how long each took. */
export function pastRefreshes<T extends { status: string; startTime?: string; endTime?: string }>(
    refreshes: readonly T[],
    view: (r: T) => Omit<PastRefresh, "seconds">,
): PastRefresh[] {
    return newestFirst(refreshes)
        .filter((r) => r.status === "Successful" && r.startTime && r.endTime)
        .slice(0, PAST_REFRESHES)
        .map((r) => ({
            ...view(r),
            seconds: (Date.parse(r.endTime!) - Date.parse(r.startTime!)) / 1000,
        }))
        .filter((r) => Number.isFinite(r.seconds) && r.seconds >= 0);
}
