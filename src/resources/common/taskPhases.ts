import { adviceFor, CloudError } from "../../core/errors";
import { isTerminal, TaskPhase } from "../../core/refreshRunner";

/**
 * Instance refresh statuses, classified. ESS and EC2 Auto Scaling share these names (ESS adds
 * Paused and CheckpointPause, AWS adds Baking); an unknown status counts as running.
 */
const PHASES: Record<string, TaskPhase> = {
    Pending: "pending",
    InProgress: "running",
    Baking: "running",
    Paused: "paused",
    CheckpointPause: "paused",
    Successful: "succeeded",
    Failed: "failed",
    Cancelling: "cancelling",
    Cancelled: "cancelled",
    RollbackInProgress: "rollingBack",
    RollbackSuccessful: "rolledBack",
    RollbackFailed: "rollbackFailed",
};

/** The phase of a cloud's refresh status. */
export function phaseOf(status: string): TaskPhase {
    return PHASES[status] ?? "running";
}

/** Whether a status is one this library knows (an unknown one is taken as running). */
export function isKnownStatus(status: string): boolean {
    return Object.prototype.hasOwnProperty.call(PHASES, status);
}

/**
 * Whether a refusal of StartInstanceRefresh may hide a refresh running on the group (or one of
 * RedeployInstance, a redeploy of the instance under way): any answer
 * of the cloud that no retry mends, except a credentials, clock or permission error and the codes
 * the cloud gives for other reasons (`otherReasons`: invalid parameters, nothing to refresh, a
 * group that does not exist, ...). The group's refreshes decide (RefreshTaskApi.mayBeConflict).
 */
export function mayHideARunningRefresh(err: unknown, otherReasons: readonly string[]): boolean {
    return (
        err instanceof CloudError &&
        !err.transient &&
        err.code !== "NetworkError" &&
        adviceFor(err.code) === undefined &&
        !otherReasons.includes(err.code)
    );
}

/** Statuses of a refresh that ended, or is ending, without success: the next deployment starts anew. */
export const UNSUCCESSFUL_STATUSES: ReadonlySet<string> = new Set([
    "Failed",
    "Cancelled",
    "RollbackSuccessful",
    "RollbackFailed",
    "Cancelling",
    "RollbackInProgress",
]);

/** Where a cancel takes a task. */
export const cancelReached = (p: TaskPhase): boolean => p === "cancelling" || isTerminal(p);

/** Where a rollback takes a task. */
export const rollbackReached = (p: TaskPhase): boolean =>
    p === "rollingBack" || p === "rolledBack" || p === "rollbackFailed";

/**
 * Makes a cancel or rollback call; a refusal is tolerated only when the task is already where the
 * call would take it (`reached`), otherwise the cloud's reason stands.
 */
export async function settleCall(
    call: () => Promise<unknown>,
    phaseNow: () => Promise<TaskPhase>,
    reached: (p: TaskPhase) => boolean,
): Promise<void> {
    try {
        await call();
    } catch (err) {
        if (err instanceof CloudError && !err.transient && reached(await phaseNow())) {
            return;
        }
        throw err;
    }
}

/**
 * How many times in a row a task just started (or resumed) may be missing from its Describe before
 * that is final: clouds do not always list a new task at once.
 */
export const NOT_FOUND_TOLERANCE = 5;
