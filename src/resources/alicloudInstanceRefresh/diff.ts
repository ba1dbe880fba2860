import { deepEqual } from "../../core/stable";
import { REFRESH_KEYS, WAIT_KEYS } from "./types";

/** What a change of inputs means for alicloud.InstanceRefresh. */
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

/** The status recorded when ESS reported that no instance needed a refresh: nothing was started. */
export const NOT_NEEDED = "NotNeeded";
/** Statuses after which an earlier refresh needs nothing more. */
const SUCCEEDED = new Set(["Successful", NOT_NEEDED]);
/** Statuses of a refresh that ended, or is ending, without success: the next deployment starts anew. */
const UNSUCCESSFUL = new Set([
    "Failed",
    "Cancelled",
    "RollbackSuccessful",
    "RollbackFailed",
    "Cancelling",
    "RollbackInProgress",
]);

/**
 * The inputs that define a refresh, normalized: `checkpointPauseMinutes` means nothing without
 * `checkpoints` (it is not sent), so it does not count then.
 */
export function refreshDefining(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of REFRESH_KEYS) {
        out[k] = inputs[k];
    }
    if (inputs.checkpoints === undefined || inputs.checkpoints === null) {
        delete out.checkpointPauseMinutes;
    }
    return out;
}

/**
 * Compares the recorded state with new inputs. A change of the group, the desired configuration,
 * the refresh preferences or `triggers` starts a new refresh; a change of only the waiting options
 * is an update that starts nothing; an earlier refresh that ended without success is retried; one
 * that may still be running (or whose status an interrupted deployment never saw) is waited on
 * again, never started twice.
 */
export function diffInstanceRefresh(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): RefreshDiff {
    const before = refreshDefining(olds);
    const after = refreshDefining(news);
    const changedKeys = [
        ...REFRESH_KEYS.filter((k) => !deepEqual(before[k], after[k])),
        ...WAIT_KEYS.filter((k) => !deepEqual(olds[k], news[k])),
    ];
    const refreshChanged = changedKeys.some((k) => (REFRESH_KEYS as readonly string[]).includes(k));
    const status = typeof olds.status === "string" ? olds.status : undefined;
    const taskId =
        typeof olds.instanceRefreshTaskId === "string" ? olds.instanceRefreshTaskId : undefined;
    const succeeded = status !== undefined && SUCCEEDED.has(status);
    const resumesWait =
        !refreshChanged && !succeeded && taskId !== undefined && !UNSUCCESSFUL.has(status ?? "");
    const startsRefresh = refreshChanged || (!succeeded && !resumesWait);
    return {
        changes: changedKeys.length > 0 || startsRefresh || resumesWait,
        startsRefresh,
        resumesWait,
        changedKeys,
    };
}
