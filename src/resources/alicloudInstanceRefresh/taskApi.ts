import { CloudError } from "../../core/errors";
import { isTerminal, RefreshTaskApi, TaskPhase, TaskSnapshot } from "../../core/refreshRunner";
import { EssApi, EssRefreshTask, StartInstanceRefreshRequest } from "../../clouds/alicloud/ess";
import { ESS_REFRESH_IN_PROGRESS_CODES } from "../../clouds/alicloud/essErrors";

/** An ESS refresh task observation, classified for the runner. */
export interface EssTaskSnapshot extends TaskSnapshot {
    task: EssRefreshTask;
}

const PHASES: Record<string, TaskPhase> = {
    Pending: "pending",
    InProgress: "running",
    Paused: "paused",
    CheckpointPause: "paused",
    Failed: "failed",
    Successful: "succeeded",
    Cancelling: "cancelling",
    Cancelled: "cancelled",
    RollbackInProgress: "rollingBack",
    RollbackSuccessful: "rolledBack",
    RollbackFailed: "rollbackFailed",
};

/** Classifies an ESS task and writes its one-line summary. */
export function snapshotOf(task: EssRefreshTask): EssTaskSnapshot {
    const phase = PHASES[task.status] ?? "running";
    const total = task.totalNeedUpdateCapacity;
    const done = task.finishedUpdateCapacity;
    const progress =
        total !== undefined && done !== undefined ? (total === 0 ? 1 : done / total) : undefined;
    let summary = task.status;
    if (total !== undefined && done !== undefined) {
        summary += ` ${done}/${total} instances (${Math.floor((progress ?? 0) * 100)}%)`;
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
                transient: true,
            });
        }
        return snapshotOf(task);
    };
    /**
     * Makes a cancel or rollback call; a refusal is tolerated only when the task is already where
     * the call would take it (`reached`), otherwise ESS's reason stands.
     */
    const settle = async (
        id: string,
        call: () => Promise<void>,
        reached: (p: TaskPhase) => boolean,
    ): Promise<void> => {
        try {
            await call();
        } catch (err) {
            if (
                err instanceof CloudError &&
                !err.transient &&
                reached((await describe(id)).phase)
            ) {
                return;
            }
            throw err;
        }
    };
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
                (p) => p === "cancelling" || isTerminal(p),
            ),
        rollback: (id) =>
            settle(
                id,
                () => ess.rollbackInstanceRefresh({ scalingGroupId, instanceRefreshTaskId: id }),
                (p) => p === "rollingBack" || p === "rolledBack" || p === "rollbackFailed",
            ),
        isConflict: (err) =>
            err instanceof CloudError && ESS_REFRESH_IN_PROGRESS_CODES.includes(err.code),
        isTransient: (err) => err instanceof CloudError && err.transient,
    };
}
