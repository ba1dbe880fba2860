import { CloudError } from "../../core/errors";
import { isTerminal, RefreshTaskApi, TaskPhase, TaskSnapshot } from "../../core/refreshRunner";
import { EssApi, EssRefreshTask, StartInstanceRefreshRequest } from "../../clouds/alicloud/ess";
import { ESS_START_REFUSED_FOR_OTHER_REASONS } from "../../clouds/alicloud/essErrors";
import {
    cancelReached,
    isKnownStatus,
    mayHideARunningRefresh,
    NOT_FOUND_TOLERANCE,
    phaseOf,
    rollbackReached,
    settleCall,
} from "../common/taskPhases";

/** An ESS refresh task observation, classified for the runner. */
export interface EssTaskSnapshot extends TaskSnapshot {
    task: EssRefreshTask;
}

/** Classifies an ESS task and writes its one-line summary. */
export function snapshotOf(task: EssRefreshTask): EssTaskSnapshot {
    const phase = phaseOf(task.status);
    const total = task.totalNeedUpdateCapacity;
    const done = task.finishedUpdateCapacity;
    const replaced =
        total !== undefined && done !== undefined ? (total === 0 ? 1 : done / total) : undefined;
    // The poller's progress moves towards the end of the current phase: during a rollback
    // FinishedUpdateCapacity goes back down to 0, so the rollback's progress is 1 - replaced.
    const progress = replaced !== undefined && phase === "rollingBack" ? 1 - replaced : replaced;
    let summary = task.status;
    if (total !== undefined && done !== undefined) {
        summary += ` ${done}/${total} instances (${Math.floor((replaced ?? 0) * 100)}%)`;
    }
    if (task.status === "Paused") {
        summary += ", suspended: ResumeInstanceRefresh resumes it";
    } else if (task.status === "CheckpointPause") {
        summary += `, pausing at a checkpoint for up to ${task.checkpointPauseTime ?? "?"} min`;
    }
    if (task.detail) {
        summary += `: ${task.detail}`;
    }
    return {
        id: task.instanceRefreshTaskId,
        status: task.status,
        phase,
        unknownStatus: !isKnownStatus(task.status),
        progress,
        detail: task.detail,
        quietForMs:
            task.status === "CheckpointPause" && task.checkpointPauseTime !== undefined
                ? task.checkpointPauseTime * 60_000
                : undefined,
        summary,
        task,
    };
}

/** The runner's view of one ESS scaling group's refreshes. */
export function essTaskApi(
    ess: EssApi,
    start: StartInstanceRefreshRequest,
): RefreshTaskApi<EssTaskSnapshot> {
    const scalingGroupId = start.scalingGroupId;
    const misses = new Map<string, number>();
    const describe = async (id: string): Promise<EssTaskSnapshot> => {
        const { tasks } = await ess.describeInstanceRefreshes({
            scalingGroupId,
            instanceRefreshTaskIds: [id],
        });
        const task = tasks.find((t) => t.instanceRefreshTaskId === id);
        if (!task) {
            throw new CloudError({
                service: "ESS",
                operation: "DescribeInstanceRefreshes",
                code: "InstanceRefreshTask.NotFound",
                cloudMessage: `the scaling group ${scalingGroupId} has no instance refresh task ${id} (yet)`,
                // A task just started may not be listed at once; the wait's deadline bounds this.
                transient:
                    (misses.set(id, (misses.get(id) ?? 0) + 1).get(id) ?? 0) <= NOT_FOUND_TOLERANCE,
            });
        }
        return snapshotOf(task);
    };
    const settle = (id: string, call: () => Promise<unknown>, reached: (p: TaskPhase) => boolean) =>
        settleCall(call, async () => (await describe(id)).phase, reached);
    return {
        start: () => ess.startInstanceRefresh(start),
        describe,
        async running() {
            const { tasks } = await ess.describeInstanceRefreshes({
                scalingGroupId,
                maxResults: 50,
            });
            const task = tasks.find((t) => !isTerminal(snapshotOf(t).phase));
            return task ? snapshotOf(task) : undefined;
        },
        cancel: (id) =>
            settle(
                id,
                () => ess.cancelInstanceRefresh({ scalingGroupId, instanceRefreshTaskId: id }),
                cancelReached,
            ),
        rollback: (id) =>
            settle(
                id,
                () => ess.rollbackInstanceRefresh({ scalingGroupId, instanceRefreshTaskId: id }),
                rollbackReached,
            ),
        // ESS documents no code for a busy group: no code is a fast path, every refusal that may
        // be one is decided by the group's refreshes (mayBeConflict).
        isConflict: () => false,
        mayBeConflict: (err) => mayHideARunningRefresh(err, ESS_START_REFUSED_FOR_OTHER_REASONS),
        isTransient: (err) => err instanceof CloudError && err.transient,
    };
}
