import { UNSUCCESSFUL_STATUSES } from "../common/taskPhases";
import { diffRefresh, NOT_NEEDED, RefreshDiff, RefreshDiffRules } from "../common/refreshDiff";
import { REFRESH_KEYS, WAIT_KEYS } from "./types";

export { NOT_NEEDED };

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

/** How alicloud.InstanceRefresh reads its state. */
export const ESS_DIFF_RULES: RefreshDiffRules = {
    refreshKeys: REFRESH_KEYS,
    waitKeys: WAIT_KEYS,
    defining: refreshDefining,
    taskIdKey: "instanceRefreshTaskId",
    succeeded: new Set(["Successful", NOT_NEEDED]),
    unsuccessful: UNSUCCESSFUL_STATUSES,
};

/** What a change of inputs means for alicloud.InstanceRefresh (see diffRefresh). */
export function diffInstanceRefresh(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
): RefreshDiff {
    return diffRefresh(ESS_DIFF_RULES, olds, news);
}
