import { deepEqual } from "../../core/stable";

/** What a change of inputs means for an instance refresh resource. */
export interface RefreshDiff {
    /** Whether `pulumi up` has anything to do (an update). */
    changes: boolean;
    /** Whether the update starts a new refresh. */
    startsRefresh: boolean;
    /** Whether it waits on a refresh an earlier deployment started and did not see end. */
    resumesWait: boolean;
    /** Inputs that changed. */
    changedKeys: string[];
}

/** The status recorded when the cloud reported that no instance needed a refresh: nothing was started. */
export const NOT_NEEDED = "NotNeeded";

/** How one kind of refresh resource reads its state. */
export interface RefreshDiffRules {
    /** Inputs whose change means a new refresh. */
    refreshKeys: readonly string[];
    /** Inputs that only change how `pulumi up` waits. */
    waitKeys: readonly string[];
    /** The inputs that define a refresh, normalized (e.g. dropping values that are not sent). */
    defining: (inputs: Record<string, unknown>) => Record<string, unknown>;
    /** The output holding the task id. */
    taskIdKey: string;
    /** Statuses after which an earlier refresh needs nothing more. */
    succeeded: ReadonlySet<string>;
    /** Statuses of a refresh that ended, or is ending, without success. */
    unsuccessful: ReadonlySet<string>;
}

/**
 * Compares the recorded state with new inputs. A change of what defines the refresh starts a new
 * one; a change of only the waiting options is an update that starts nothing; an earlier refresh
 * that ended without success is retried; one that may still be running (or whose status an
 * interrupted deployment never saw) is waited on again, never started twice.
 */
export function diffRefresh(
    rules: RefreshDiffRules,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): RefreshDiff {
    const before = rules.defining(olds);
    const after = rules.defining(news);
    const changedKeys = [
        ...rules.refreshKeys.filter((k) => !deepEqual(before[k], after[k])),
        ...rules.waitKeys.filter((k) => !deepEqual(olds[k], news[k])),
    ];
    const refreshChanged = changedKeys.some((k) => rules.refreshKeys.includes(k));
    const status = typeof olds.status === "string" ? olds.status : undefined;
    const rawId = olds[rules.taskIdKey];
    const taskId = typeof rawId === "string" && rawId !== "" ? rawId : undefined;
    const succeeded = status !== undefined && rules.succeeded.has(status);
    const resumesWait =
        !refreshChanged &&
        !succeeded &&
        taskId !== undefined &&
        !rules.unsuccessful.has(status ?? "");
    const startsRefresh = refreshChanged || (!succeeded && !resumesWait);
    return {
        changes: changedKeys.length > 0 || startsRefresh || resumesWait,
        startsRefresh,
        resumesWait,
        changedKeys,
    };
}
