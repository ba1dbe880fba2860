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
const SUCCESS = new Set(["Successful", NOT_NEEDED]);
/** Statuses of a refresh that has not ended. */
const RUNNING = new Set(["Pending", "InProgress", "Paused", "CheckpointPause", "Cancelling", "RollbackInProgress"]);

/**
 * Compares the recorded state with new inputs. A change of the group, the desired configuration,
 * the refresh preferences or `triggers` starts a new refresh; a change of only the waiting options
 * is an update that starts nothing; an earlier refresh that did not succeed is retried (or, if it
 * is still running, waited on again).
 */
export function diffInstanceRefresh(olds: Record<string, unknown>, news: Record<string, unknown>): RefreshDiff {
    const changedKeys = [...REFRESH_KEYS, ...WAIT_KEYS].filter((k) => !deepEqual(olds[k], news[k]));
    const refreshChanged = changedKeys.some((k) => (REFRESH_KEYS as readonly string[]).includes(k));
    const status = typeof olds.status === "string" ? olds.status : undefined;
    const stillRunning = !refreshChanged && status !== undefined && RUNNING.has(status) && !!olds.instanceRefreshTaskId;
    const retry = !refreshChanged && !stillRunning && !SUCCESS.has(status ?? "");
    return {
        changes: changedKeys.length > 0 || stillRunning || retry,
        startsRefresh: refreshChanged || retry,
        resumesWait: stillRunning,
        changedKeys,
    };
}
