/**
 * The rollout plan a refresh's preview prints: what a refresh of these inputs would do to the
 * group as the cloud describes it now (read-only), how many at a time, about how long, and what is
 * in the way. Pure: each cloud's resource builds the plan from what its reads returned; this module
 * sizes the batches, estimates the time and writes the lines.
 */
import { formatDuration } from "./refreshRunner";

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
    const counted = p.past.filter((r) => r.replaced !== undefined && r.replaced > 0);
    if (counted.length > 0) {
        const perInstance = median(counted.map((r) => r.seconds / r.replaced!));
        return {
            seconds: Math.round(perInstance * p.toReplace + p.pauseSeconds),
            atLeast: false,
            basis:
                `${formatDuration(perInstance * 1000)} per instance, the median of the group's last ` +
                `${counted.length} successful refresh${counted.length === 1 ? "" : "es"}${pauses}`,
        };
    }
    if (p.past.length > 0) {
        const each = median(p.past.map((r) => r.seconds));
        return {
            seconds: Math.round(each),
            atLeast: false,
            basis:
                `the median duration of the group's last ${p.past.length} successful ` +
                `refresh${p.past.length === 1 ? "" : "es"} (the cloud does not report how many ` +
                "each replaced)",
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
        const cps =
            plan.checkpoints.length > 0
                ? "; checkpoints " +
                  plan.checkpoints
                      .map(
                          (c) =>
                              `${c.percentage}%` +
                              (c.pauseSeconds > 0
                                  ? ` (pause ${formatDuration(c.pauseSeconds * 1000)})`
                                  : ""),
                      )
                      .join(", ")
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

/** The sum of the pauses a refresh makes at its checkpoints (none at 100%: the refresh ends there). */
export function pauseSecondsOf(checkpoints: readonly PlannedCheckpoint[]): number {
    return checkpoints
        .filter((c) => c.percentage < 100)
        .reduce((sum, c) => sum + c.pauseSeconds, 0);
}

/** What `onConflict` makes `up` do about a refresh already running that is not this resource's. */
export function conflictVerdict(
    onConflict: string,
    running: { id: string; status: string; progress?: string },
    timeoutMinutes: number,
): { verdict: PlanVerdict; inTheWay: string; upWill: string } {
    const what = `refresh ${running.id} is ${running.status}${running.progress ? ` (${running.progress})` : ""} on the group, not started by this resource`;
    switch (onConflict) {
        case "cancel":
            return {
                verdict: "cancelThenStart",
                inTheWay: `${what}: onConflict "cancel" cancels it`,
                upWill: "cancel that refresh, wait for it to end, then start this one",
            };
        case "fail":
            return {
                verdict: "fail",
                inTheWay: `${what}: onConflict "fail"`,
                upWill: 'fail without starting anything, as onConflict is "fail"',
            };
        default:
            return {
                verdict: "waitThenStart",
                inTheWay: `${what}: onConflict "wait" waits for it to end`,
                upWill: `wait for that refresh to end (within timeoutMinutes ${timeoutMinutes}), then start this one`,
            };
    }
}

/** Refreshes, the latest started first (whatever order the cloud listed them in). */
export function newestFirst<T extends { startTime?: string }>(xs: readonly T[]): T[] {
    const t = (x: T): number => Date.parse(x.startTime ?? "") || 0;
    return [...xs].sort((a, b) => t(b) - t(a));
}
