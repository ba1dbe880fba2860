import { CloudError } from "../../core/errors";
import { isTerminal, RefreshTaskApi, TaskPhase, TaskSnapshot } from "../../core/refreshRunner";
import { deepEqual } from "../../core/stable";
import {
    AsgDesiredConfiguration,
    AsgRefresh,
    AsgRefreshPreferences,
    AutoScalingApi,
    LaunchTemplateSpec,
} from "../../clouds/aws/autoscaling";
import {
    cancelReached,
    isKnownStatus,
    mayHideARunningRefresh,
    NOT_FOUND_TOLERANCE,
    phaseOf,
    rollbackReached,
    settleCall,
} from "../common/taskPhases";

/** An Auto Scaling refresh observation, classified for the runner. */
export interface AsgTaskSnapshot extends TaskSnapshot {
    refresh: AsgRefresh;
}

/** Classifies an Auto Scaling refresh and writes its one-line summary. */
export function asgSnapshotOf(r: AsgRefresh, totals?: InstanceTotals): AsgTaskSnapshot {
    const phase = phaseOf(r.status);
    const pct = r.percentageComplete;
    let summary = r.status;
    if (pct !== undefined) {
        summary += ` ${pct}%`;
    }
    if (r.instancesToUpdate !== undefined) {
        summary += ` (${r.instancesToUpdate} instance${r.instancesToUpdate === 1 ? "" : "s"} to update)`;
    }
    const reasons = [r.statusReason, r.rollbackDetails?.rollbackReason]
        .filter((x): x is string => !!x)
        .filter((x, i, all) => all.indexOf(x) === i);
    const detail = reasons.length ? reasons.join("; rollback: ") : undefined;
    if (detail) {
        summary += `: ${detail}`;
    }
    return {
        id: r.instanceRefreshId,
        status: r.status,
        phase,
        unknownStatus: !isKnownStatus(r.status),
        ...progressOf(r, phase, totals),
        detail,
        quietForMs:
            r.status === "Baking" && r.preferences?.bakeTimeSeconds
                ? r.preferences.bakeTimeSeconds * 1000
                : checkpointDelayMs(r),
        summary,
        refresh: r,
    };
}

/**
 * The number of instances each refresh (and each rollback) has to update, as far as it is known:
 * kept by the task API across its observations, so a whole percentage can be turned back into the
 * exact fraction of instances.
 */
export type InstanceTotals = Map<string, number>;

/**
 * The progress of the current phase, in [0, 1]: PercentageComplete, but during a rollback the
 * rollback's own (RollbackDetails.PercentageCompleteOnRollback; without it, PercentageComplete
 * going back down to 0). A whole percentage is rounded; where the instances left to update tell
 * the exact fraction ({@link exactProgress}), that is used instead.
 */
function progressOf(
    r: AsgRefresh,
    phase: TaskPhase,
    totals: InstanceTotals = new Map(),
): { progress?: number; progressResolution?: number } {
    const pct = r.percentageComplete;
    if (phase === "rollingBack") {
        const back = r.rollbackDetails?.percentageCompleteOnRollback;
        if (back !== undefined) {
            const left = r.rollbackDetails?.instancesToUpdateOnRollback;
            return exactProgress(back, left, totals, `${r.instanceRefreshId} rollback`);
        }
        return pct !== undefined ? { progress: 1 - pct / 100, progressResolution: 0.01 } : {};
    }
    return pct !== undefined
        ? exactProgress(pct, r.instancesToUpdate, totals, r.instanceRefreshId)
        : {};
}

/** Whether `pct` is `done` of `total` as a whole percentage (rounded down or to the nearest). */
function agrees(pct: number, done: number, total: number): boolean {
    const exact = (100 * done) / total;
    return Math.floor(exact + 1e-9) === pct || Math.round(exact) === pct;
}

/**
 * A whole percentage as the exact fraction of instances done, when the instances left to update
 * pin down the total: at 0 % the count left is the total; later, the totals that agree with the
 * percentage must be a single one. The total is kept in `totals` under `key`. Otherwise the
 * percentage itself, with its resolution (0.01).
 */
export function exactProgress(
    pct: number,
    left: number | undefined,
    totals: InstanceTotals,
    key: string,
): { progress: number; progressResolution?: number } {
    const rounded = { progress: pct / 100, progressResolution: 0.01 };
    if (left === undefined || pct >= 100) {
        return rounded;
    }
    let total = totals.get(key);
    if (total === undefined || left > total || !agrees(pct, total - left, total)) {
        if (pct === 0) {
            total = left;
        } else {
            const guess = Math.round(left / (1 - pct / 100));
            const fits = [guess - 2, guess - 1, guess, guess + 1, guess + 2].filter(
                (t) => t > left && agrees(pct, t - left, t),
            );
            total = fits.length === 1 ? fits[0] : undefined;
        }
        if (total === undefined || total <= 0) {
            totals.delete(key);
            return rounded;
        }
        totals.set(key, total);
    }
    return { progress: (total - left) / total };
}

/**
 * While an InProgress refresh has just reached a checkpoint (PercentageComplete at a checkpoint
 * below 100, within one instance of it), the CheckpointDelay it waits there (default 3600 s), ms;
 * the poller times it from the first observation at that percentage and sleeps through it once.
 */
function checkpointDelayMs(r: AsgRefresh): number | undefined {
    const checkpoints = r.preferences?.checkpointPercentages;
    const pct = r.percentageComplete;
    if (r.status !== "InProgress" || !checkpoints?.length || pct === undefined || pct >= 100) {
        return undefined;
    }
    const reached = Math.max(...checkpoints.filter((c) => c <= pct && c < 100));
    if (!Number.isFinite(reached)) {
        return undefined;
    }
    // One instance, in percent: (100 - pct) / InstancesToUpdate; without the count, exactly.
    const left = r.instancesToUpdate;
    const oneInstance = left !== undefined && left > 0 ? (100 - pct) / left : 0;
    if (pct - reached > 0 && pct - reached >= oneInstance) {
        return undefined;
    }
    return (r.preferences?.checkpointDelaySeconds ?? 3600) * 1000;
}

/** What StartInstanceRefresh is asked for. */
export interface AsgStart {
    autoScalingGroupName: string;
    strategy?: string;
    desiredConfiguration?: AsgDesiredConfiguration;
    preferences?: AsgRefreshPreferences;
}

/** The template references of a desired configuration, for resolving aliases. */
function templatesOf(c: AsgDesiredConfiguration | undefined): LaunchTemplateSpec[] {
    const out: LaunchTemplateSpec[] = [];
    if (c?.launchTemplate) {
        out.push(c.launchTemplate);
    }
    const lt = c?.mixedInstancesPolicy?.launchTemplate;
    if (lt?.launchTemplateSpecification) {
        out.push(lt.launchTemplateSpecification);
    }
    for (const o of lt?.overrides ?? []) {
        if (o.launchTemplateSpecification) {
            out.push(o.launchTemplateSpecification);
        }
    }
    return out;
}

/** The same template and version (by id when both name one, else by name). */
function sameTemplate(
    a: LaunchTemplateSpec | undefined,
    b: LaunchTemplateSpec | undefined,
): boolean {
    if (!a || !b) {
        return a === b;
    }
    const same =
        a.launchTemplateId && b.launchTemplateId
            ? a.launchTemplateId === b.launchTemplateId
            : a.launchTemplateName === b.launchTemplateName;
    return same && (a.version ?? "$Default") === (b.version ?? "$Default");
}

/** Whether an echoed desired configuration is the one sent (tolerating fields AWS fills in). */
function sameDesired(echoed: AsgDesiredConfiguration, sent: AsgDesiredConfiguration): boolean {
    if (sent.launchTemplate) {
        return sameTemplate(echoed.launchTemplate, sent.launchTemplate);
    }
    return deepEqual(echoed.mixedInstancesPolicy ?? null, sent.mixedInstancesPolicy ?? null);
}

/**
 * What AWS documents a refresh to take for a preference the start does not send (RefreshPreferences):
 * the echo of a refresh started without it shows this value. MinHealthyPercentage (90, or the
 * group's instance maintenance policy), InstanceWarmup (the group's) and MaxHealthyPercentage have
 * no fixed default, so unsent they are not compared.
 */
const PREFERENCE_DEFAULTS: Partial<Record<keyof AsgRefreshPreferences, unknown>> = {
    skipMatching: false,
    autoRollback: false,
    // "Wait (default)" for both, in RefreshPreferences.
    scaleInProtectedInstances: "Wait",
    standbyInstances: "Wait",
    checkpointPercentages: [],
    bakeTimeSeconds: 0,
};

/**
 * Whether the preferences a refresh echoes are the ones this start sends: every preference sent is
 * echoed as sent, and every one not sent that has a documented default is echoed at it (or not at
 * all). So a refresh someone started with other choices is told apart even when the resource
 * declares none. CheckpointDelay counts only with checkpoints (its default is 3600 with them).
 */
export function samePreferences(
    echoed: AsgRefreshPreferences,
    sent: AsgRefreshPreferences,
): boolean {
    const keys = new Set([...Object.keys(echoed), ...Object.keys(sent)]) as Set<
        keyof AsgRefreshPreferences
    >;
    const checkpoints = (sent.checkpointPercentages ?? []).length > 0;
    for (const k of keys) {
        const fallback =
            k === "checkpointDelaySeconds"
                ? checkpoints
                    ? 3600
                    : undefined
                : PREFERENCE_DEFAULTS[k];
        const want = sent[k] ?? fallback;
        if (want === undefined) {
            continue; // not sent, and AWS's value depends on the group
        }
        if (!deepEqual(echoed[k] ?? fallback, want)) {
            return false;
        }
    }
    return true;
}

/**
 * The runner's view of one Auto Scaling group's refreshes. AWS has no idempotency token: a refresh
 * started within the attempt's window with exactly this desired configuration (or, like this
 * start, none) and these preferences ({@link samePreferences}) is recognized as ours (isOurs).
 * "$Latest"/"$Default" are resolved to the version they stand for at the start, so that the
 * refresh can be rolled back to what ran before.
 */
export function asgTaskApi(
    asg: AutoScalingApi,
    start: AsgStart,
    log: (line: string) => void = () => undefined,
): RefreshTaskApi<AsgTaskSnapshot> {
    const group = start.autoScalingGroupName;
    let resolved: AsgDesiredConfiguration | undefined = start.desiredConfiguration;
    let resolving: Promise<AsgDesiredConfiguration | undefined> | undefined;
    // Resolved once per run: the lookup before the start and the start itself agree.
    const resolve = (): Promise<AsgDesiredConfiguration | undefined> =>
        (resolving ??= resolveNow().catch((err: unknown) => {
            resolving = undefined;
            throw err;
        }));
    const resolveNow = async (): Promise<AsgDesiredConfiguration | undefined> => {
        const copy = structuredClone(start.desiredConfiguration);
        for (const t of templatesOf(copy)) {
            const alias = t.version ?? "$Default";
            if (alias === "$Latest" || alias === "$Default") {
                t.version = await asg.resolveLaunchTemplateVersion({ ...t, version: alias });
                log(
                    `launch template ${t.launchTemplateId ?? t.launchTemplateName} ${alias} is version ${t.version}`,
                );
            }
        }
        resolved = copy;
        return copy;
    };
    const misses = new Map<string, number>();
    const totals: InstanceTotals = new Map();
    const describe = async (id: string): Promise<AsgTaskSnapshot> => {
        const refreshes = await asg.describeInstanceRefreshes({
            autoScalingGroupName: group,
            instanceRefreshIds: [id],
        });
        const r = refreshes.find((x) => x.instanceRefreshId === id);
        if (!r) {
            throw new CloudError({
                service: "Auto Scaling",
                operation: "DescribeInstanceRefreshes",
                code: "InstanceRefreshNotFound",
                cloudMessage: `the group ${group} has no instance refresh ${id}`,
                // A refresh just started may not be listed at once: tolerated a few times.
                transient:
                    (misses.set(id, (misses.get(id) ?? 0) + 1).get(id) ?? 0) <= NOT_FOUND_TOLERANCE,
            });
        }
        return asgSnapshotOf(r, totals);
    };
    const running = async (): Promise<AsgTaskSnapshot | undefined> => {
        const refreshes = await asg.describeInstanceRefreshes({
            autoScalingGroupName: group,
            maxRecords: 50,
        });
        const r = refreshes.find((x) => !isTerminal(asgSnapshotOf(x).phase));
        return r ? asgSnapshotOf(r) : undefined;
    };
    /**
     * Cancel and rollback act on the group's active refresh, whatever it is: act only when that is
     * `id`, and tolerate a refusal only when the refresh is already where the call would take it.
     */
    const onActive = async (
        id: string,
        call: () => Promise<unknown>,
        reached: (p: TaskPhase) => boolean,
    ): Promise<void> => {
        const active = await running();
        if (active?.id !== id) {
            if (reached((await describe(id)).phase)) {
                return;
            }
            throw new Error(
                `refresh ${id} is not the group's active refresh (${active?.id ?? "none is active"})`,
            );
        }
        await settleCall(call, async () => (await describe(id)).phase, reached);
    };
    const api: RefreshTaskApi<AsgTaskSnapshot> = {
        async start() {
            const desiredConfiguration = await resolve();
            return asg.startInstanceRefresh({ ...start, desiredConfiguration });
        },
        describe,
        running,
        cancel: (id) => onActive(id, () => asg.cancelInstanceRefresh(group), cancelReached),
        rollback: (id) => onActive(id, () => asg.rollbackInstanceRefresh(group), rollbackReached),
        isConflict: (err) => err instanceof CloudError && err.code === "InstanceRefreshInProgress",
        // Refusals AWS documents for other reasons; any other may hide a running refresh.
        mayBeConflict: (err) => mayHideARunningRefresh(err, ["ValidationError", "LimitExceeded"]),
        isTransient: (err) => err instanceof CloudError && err.transient,
        endedOurs: async (since, except) => {
            await resolve();
            const refreshes = await asg.describeInstanceRefreshes({
                autoScalingGroupName: group,
                maxRecords: 50,
            });
            // Only what started after the refresh state records: an earlier identical one is a
            // previous change (a triggers bump asks for a new refresh), not this one.
            const recorded = refreshes.find((r) => r.instanceRefreshId === except)?.startTime;
            const after =
                recorded === undefined ? since : Math.max(since, Date.parse(recorded) + 1);
            return refreshes
                .map((r) => asgSnapshotOf(r))
                .find(
                    (t) =>
                        t.id !== except &&
                        isTerminal(t.phase) &&
                        t.refresh.startTime !== undefined &&
                        Date.parse(t.refresh.startTime) >= after &&
                        api.isOurs!(t),
                );
        },
        isOurs: (task, since) => {
            const r = task.refresh;
            if (since !== undefined && (!r.startTime || Date.parse(r.startTime) < since)) {
                return false;
            }
            // A desired configuration on one side only: not the refresh this start asks for.
            if (!resolved !== !r.desiredConfiguration) {
                return false;
            }
            if (
                resolved &&
                r.desiredConfiguration &&
                !sameDesired(r.desiredConfiguration, resolved)
            ) {
                return false;
            }
            return samePreferences(r.preferences ?? {}, start.preferences ?? {});
        },
    };
    return api;
}
