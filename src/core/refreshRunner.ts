import { Clock, systemClock } from "./clock";
import { messageOf } from "./errors";
import { poll, PollOutcome } from "./poller";
import { inBackground } from "./rateLimiter";

/** Where a refresh task stands, whatever its cloud calls it. */
export type TaskPhase =
    | "pending"
    | "running"
    | "paused"
    | "succeeded"
    | "failed"
    | "cancelling"
    | "cancelled"
    | "rollingBack"
    | "rolledBack"
    | "rollbackFailed";

const TERMINAL: ReadonlySet<TaskPhase> = new Set<TaskPhase>([
    "succeeded",
    "failed",
    "cancelled",
    "rolledBack",
    "rollbackFailed",
]);

/** Whether a task in `phase` has ended. */
export function isTerminal(phase: TaskPhase): boolean {
    return TERMINAL.has(phase);
}

/** One observation of a refresh task, as the cloud adapter reports it. */
export interface TaskSnapshot {
    /** The cloud's task id. */
    id: string;
    /** The cloud's own status name (e.g. "CheckpointPause"). */
    status: string;
    /** The status, classified. */
    phase: TaskPhase;
    /**
     * Completed fraction of the current phase in [0, 1], if known: during a rollback, the
     * rollback's own progress (it moves towards 1 as the old instances come back).
     */
    progress?: number;
    /** How finely the cloud reports progress: 0.01 for a whole percentage (default 0: exact). */
    progressResolution?: number;
    /** The cloud's reason for the status, if any. */
    detail?: string;
    /** How long the task is known to stay quiet (e.g. a checkpoint pause), ms. */
    quietForMs?: number;
    /** One line for the user: status, counts, percentage. */
    summary: string;
    /** The status is none this library knows: it is taken as running (and warned of once). */
    unknownStatus?: boolean;
}

/** The cloud calls a refresh needs: the adapter between a cloud client and the runner. */
export interface RefreshTaskApi<S extends TaskSnapshot> {
    /** Starts the refresh (idempotently) and returns its task id. */
    start(): Promise<string>;
    /** Observes one task. */
    describe(id: string): Promise<S>;
    /** The group's task that has not ended yet, if any. */
    running(): Promise<S | undefined>;
    /** Asks the cloud to cancel a task. */
    cancel(id: string): Promise<void>;
    /** Asks the cloud to roll a task back. */
    rollback(id: string): Promise<void>;
    /** Whether a start failure says, by a code the cloud documents, that a refresh is running. */
    isConflict(err: unknown): boolean;
    /**
     * Whether a refusal of the start with no such code may still mean a running refresh (where
     * the cloud documents no code for it, or answers with another one): the group's refreshes are
     * then looked up, and only a running one makes it a conflict; otherwise the refusal stands.
     */
    mayBeConflict?(err: unknown): boolean;
    /**
     * Whether a running refresh is exactly the one this start asks for (for clouds without an
     * idempotency token: an earlier attempt started it and its answer was lost). It is then waited
     * on instead of being treated as a conflict. With `since` (ms), only a refresh started at or
     * after it can be ours: an attempt older than the timeout would have ended its own refresh.
     */
    isOurs?(task: S, since?: number): boolean;
    /**
     * For clouds without an idempotency token: a refresh exactly like the one this start asks
     * for, started at or after `since` (ms) and after `except` (the refresh state records, which
     * this start supersedes), and already ended. An attempt
     * killed before the start call's answer came leaves such a refresh behind once it has ended;
     * it is reported instead of starting the same refresh again.
     */
    endedOurs?(since: number, except?: string): Promise<S | undefined>;
    /** Whether a failure is worth trying again (throttling, 5xx, network). */
    isTransient(err: unknown): boolean;
}

/** What to do when things do not go to plan. */
export interface RefreshPolicy {
    /** How long the whole operation may take, in minutes. */
    timeoutMinutes: number;
    /** On a failed refresh: roll it back first, or just fail. */
    onFailure: "rollback" | "fail";
    /** When the time is up: cancel the refresh, roll it back, or leave it running. */
    onTimeout: "cancel" | "rollback" | "leave";
    /** When another refresh is running on the group: wait for it, cancel it, or fail. */
    onConflict: "wait" | "cancel" | "fail";
}

/** Options of {@link runRefresh}. */
export interface RunOptions {
    /** The clock (default the system clock). */
    clock?: Clock;
    /** Where progress lines go (the `pulumi up` output). */
    log: (line: string) => void;
    /** Aborts the waits. */
    signal?: AbortSignal;
    /** Poll delay bounds (defaults: the poller's). */
    minDelayMs?: number;
    maxDelayMs?: number;
    maxQuietDelayMs?: number;
    /** After a timeout or a failure, how long a cancel or rollback may take to settle (default 10). */
    settleMinutes?: number;
    /** Without any change, a line every this many ms still shows the wait is alive (default 120000). */
    heartbeatMs?: number;
    /**
     * A duty done after each observation of a running task (keeping lifecycle actions alive);
     * returns the ms within which it must be done again. Its failures are logged, never fatal.
     */
    duringWait?: (taskId: string) => Promise<number | undefined>;
}

/** How a refresh ended, once it had started. */
export interface RefreshOutcome<S extends TaskSnapshot> {
    /** Whether the refresh succeeded. */
    ok: boolean;
    /** The refresh task's id. */
    taskId: string;
    /** The last observation of the task, if any. */
    task?: S;
    /** When not ok: what happened, for the user. */
    reason?: string;
}

/** Which refresh a run is about. */
export interface RunTarget {
    /** Wait on this task (started by an earlier deployment) instead of starting one. */
    resumeTaskId?: string;
    /** The task this resource started before: if still running, it is superseded, not a conflict. */
    supersedesTaskId?: string;
}

/** A failure before any refresh of ours was started. */
export class RefreshNotStartedError extends Error {
    override readonly name = "RefreshNotStartedError";
}

/** The errors the cloud refused the start call itself with (not a later call's). */
const startRefusals = new WeakSet<object>();

/** Whether `err` is the cloud's refusal of the start call, with no refresh found running. */
export function isStartRefusal(err: unknown): boolean {
    return typeof err === "object" && err !== null && startRefusals.has(err);
}

function startRefused(err: unknown): unknown {
    if (typeof err === "object" && err !== null) {
        startRefusals.add(err);
    }
    return err;
}

/**
 * Starts a refresh (or resumes the wait on `resumeTaskId`) and waits for it, applying `policy`.
 * Throws only before a refresh of ours has started; once it has, every ending (success, failure,
 * timeout, an error while waiting) is returned as an outcome carrying the task id, so that the
 * caller can record the truth in state.
 */
export async function runRefresh<S extends TaskSnapshot>(
    api: RefreshTaskApi<S>,
    policy: RefreshPolicy,
    opts: RunOptions,
    which: RunTarget = {},
): Promise<RefreshOutcome<S>> {
    const { resumeTaskId, supersedesTaskId } = which;
    const clock = opts.clock ?? systemClock;
    const deadline = clock.now() + policy.timeoutMinutes * 60_000;
    const settleMs = (opts.settleMinutes ?? 10) * 60_000;

    // The duty (lifecycle heartbeats) goes with the waits on our own refresh and its rollback,
    // never with a cancel's or another refresh's: their instances are not to be kept alive.
    const wait = (
        id: string,
        until: number,
        label: string,
        doneWhen: (phase: TaskPhase) => boolean = isTerminal,
        withDuty = false,
        startedAt?: number,
    ): Promise<PollOutcome<S>> =>
        waitForTask(
            api,
            id,
            until,
            label,
            clock,
            withDuty ? opts : { ...opts, duringWait: undefined },
            doneWhen,
            startedAt,
        );

    let taskId: string;
    const earlier = resumeTaskId
        ? undefined
        : await api.endedOurs?.(clock.now() - policy.timeoutMinutes * 60_000, supersedesTaskId);
    if (resumeTaskId) {
        taskId = resumeTaskId;
        opts.log(`waiting on refresh ${taskId}, started by an earlier deployment`);
    } else if (earlier) {
        taskId = earlier.id;
        opts.log(
            `refresh ${taskId} (${earlier.summary}) is the very refresh this deployment asks for, ` +
                "started by an earlier attempt whose answer was lost, and it has ended: not starting another",
        );
    } else {
        taskId = await startResolvingConflicts(
            api,
            policy,
            deadline,
            clock,
            wait,
            opts.log,
            supersedesTaskId,
        );
    }

    let last: S | undefined;
    /** When the wait on our refresh began: a rollback of it is no news, so no start-up ramp. */
    const refreshWaitBegan = clock.now();
    try {
        const outcome = await wait(taskId, deadline, "refresh", isTerminal, true);
        last = outcome.kind === "done" ? outcome.value : outcome.last;
        if (outcome.kind !== "done") {
            return await onTimedOut(outcome);
        }
        const task = outcome.value;
        if (task.phase === "succeeded") {
            return { ok: true, taskId, task };
        }
        const why = `refresh ${taskId} ended ${task.status}${task.detail ? `: ${task.detail}` : ""}`;
        if (task.phase === "failed" && policy.onFailure === "rollback") {
            opts.log(`${why}; rolling it back (onFailure: "rollback")`);
            return await rollBack(why, Math.max(deadline, clock.now() + settleMs));
        }
        return { ok: false, taskId, task, reason: why };
    } catch (err) {
        return {
            ok: false,
            taskId,
            task: last,
            reason: `waiting on refresh ${taskId} failed: ${messageOf(err)}`,
        };
    }

    async function onTimedOut(outcome: PollOutcome<S>): Promise<RefreshOutcome<S>> {
        const seen = outcome.kind === "done" ? outcome.value : outcome.last;
        const where = seen ? ` (last seen ${seen.summary})` : "";
        const why = `refresh ${taskId} did not finish within timeoutMinutes (${policy.timeoutMinutes})${where}`;
        const settleUntil = clock.now() + settleMs;
        if (seen?.phase === "rollingBack") {
            // Cancelling now would cancel the cloud's rollback and leave a mixed group.
            opts.log(`${why}; it is rolling back: waiting for the rollback to end`);
            const end = await wait(
                taskId,
                settleUntil,
                "rollback",
                (p) => p === "rolledBack" || p === "rollbackFailed",
                true,
            );
            const final = end.kind === "done" ? end.value : (end.last ?? seen);
            return {
                ok: false,
                taskId,
                task: final,
                reason: `${why}; the rollback ended ${final.status}`,
            };
        }
        switch (policy.onTimeout) {
            case "leave":
                return {
                    ok: false,
                    taskId,
                    task: seen,
                    reason: `${why}; it was left running (onTimeout: "leave"): the next deployment waits on it`,
                };
            case "rollback":
                opts.log(`${why}; rolling it back (onTimeout: "rollback")`);
                return rollBack(why, settleUntil);
            case "cancel": {
                opts.log(`${why}; cancelling it (onTimeout: "cancel")`);
                await api.cancel(taskId);
                const end = await wait(taskId, settleUntil, "cancel");
                const final = end.kind === "done" ? end.value : (end.last ?? seen);
                return {
                    ok: false,
                    taskId,
                    task: final,
                    reason: `${why}; it was cancelled and is now ${final?.status ?? "unknown"}`,
                };
            }
        }
    }

    async function rollBack(why: string, until: number): Promise<RefreshOutcome<S>> {
        await api.rollback(taskId);
        // The task was Failed (terminal) a moment ago: only a rollback status ends this wait.
        const end = await wait(
            taskId,
            until,
            "rollback",
            (p) => p === "rolledBack" || p === "rollbackFailed",
            true,
            refreshWaitBegan,
        );
        const final = end.kind === "done" ? end.value : end.last;
        const result =
            end.kind === "done"
                ? `the rollback ended ${end.value.status}${end.value.detail ? `: ${end.value.detail}` : ""}`
                : `the rollback had not ended after waiting (last seen ${final?.summary ?? "unknown"})`;
        return { ok: false, taskId, task: final, reason: `${why}; ${result}` };
    }
}

async function startResolvingConflicts<S extends TaskSnapshot>(
    api: RefreshTaskApi<S>,
    policy: RefreshPolicy,
    deadline: number,
    clock: Clock,
    wait: (id: string, until: number, label: string) => Promise<PollOutcome<S>>,
    log: (line: string) => void,
    supersedesTaskId: string | undefined,
): Promise<string> {
    const budget = policy.timeoutMinutes * 60_000;
    // After waiting for another refresh, ours is started only with this much of the time left.
    const minimumToStart = Math.min(5 * 60_000, budget / 2);
    for (let attempt = 1; ; attempt++) {
        try {
            const id = await api.start();
            log(`started refresh ${id}`);
            return id;
        } catch (err) {
            const documented = api.isConflict(err);
            if ((!documented && !api.mayBeConflict?.(err)) || attempt > 10) {
                throw startRefused(err);
            }
            // Decided by what the group reports, not by the code.
            const other = await api.running();
            if (!other) {
                if (!documented || attempt >= 2) {
                    // not a running refresh after all: the cloud's own reason stands
                    throw startRefused(err);
                }
                continue; // it may have ended between the two calls
            }
            if (!documented) {
                log(
                    `the start was refused (${messageOf(err)}) while refresh ${other.id} runs on the group: ` +
                        "taking the refusal for that conflict",
                );
            }
            const about = `another refresh, ${other.id} (${other.summary}), is running on the group`;
            if (other.id !== supersedesTaskId && api.isOurs?.(other, clock.now() - budget)) {
                log(
                    `refresh ${other.id} (${other.summary}) is the very refresh this deployment asks for, ` +
                        "started by an earlier attempt: waiting on it instead of starting another",
                );
                return other.id;
            }
            if (other.id === supersedesTaskId) {
                if (other.phase === "cancelling" || other.phase === "rollingBack") {
                    log(
                        `this resource's previous refresh ${other.id} is ${other.status}; waiting for it to end`,
                    );
                } else {
                    log(
                        `this resource's previous refresh ${other.id} (${other.summary}) is superseded by this change: cancelling it`,
                    );
                    await api.cancel(other.id);
                }
            } else {
                switch (policy.onConflict) {
                    case "fail":
                        throw new RefreshNotStartedError(
                            `${about}; nothing was started (onConflict: "fail"). Wait for it to end or ` +
                                `cancel it, or set onConflict to "wait" or "cancel".`,
                        );
                    case "cancel":
                        if (other.phase === "rollingBack" || other.phase === "cancelling") {
                            log(`${about}; it is already ending (${other.status}): waiting for it`);
                        } else {
                            log(`${about}; cancelling it (onConflict: "cancel")`);
                            await api.cancel(other.id);
                        }
                        break;
                    case "wait":
                        log(
                            `${about}; waiting for it to end before starting ours (onConflict: "wait")`,
                        );
                        break;
                }
            }
            const end = await wait(other.id, deadline, "other refresh");
            if (end.kind !== "done") {
                throw new RefreshNotStartedError(
                    `${about}, and it had not ended within timeoutMinutes (${policy.timeoutMinutes}); ` +
                        "nothing was started: run `pulumi up` again once it has ended",
                );
            }
            const left = deadline - clock.now();
            if (left < minimumToStart) {
                throw new RefreshNotStartedError(
                    `refresh ${other.id} ended ${end.value.status}, but only ${formatDuration(left)} of ` +
                        `timeoutMinutes (${policy.timeoutMinutes}) were left: nothing was started, so as not to ` +
                        "leave a half-replaced group; run `pulumi up` again",
                );
            }
        }
    }
}

async function waitForTask<S extends TaskSnapshot>(
    api: RefreshTaskApi<S>,
    id: string,
    deadline: number,
    label: string,
    clock: Clock,
    opts: RunOptions,
    doneWhen: (phase: TaskPhase) => boolean = isTerminal,
    operationBegan?: number,
): Promise<PollOutcome<S>> {
    const started = clock.now();
    const heartbeat = opts.heartbeatMs ?? 120_000;
    let lastLine = "";
    let lastLoggedAt = 0;
    const unknown = new Set<string>();
    return poll<S>({
        clock,
        deadline,
        signal: opts.signal,
        minDelayMs: opts.minDelayMs,
        maxDelayMs: opts.maxDelayMs,
        maxQuietDelayMs: opts.maxQuietDelayMs,
        startedAt: operationBegan,
        isTransient: (err) => api.isTransient(err),
        onTransientError: (err) => opts.log(`${label} ${id}: ${messageOf(err)}; still waiting`),
        observe: async () => {
            // The looks of a wait give way to the calls that act (other resources' starts).
            const task = await inBackground(() => api.describe(id));
            if (task.unknownStatus && !unknown.has(task.status)) {
                unknown.add(task.status);
                opts.log(
                    `${label} ${id}: warning: the cloud reports status "${task.status}", which this ` +
                        "library does not know: taking it as still running, and waiting for a status " +
                        "it knows within the deadline",
                );
            }
            const done = doneWhen(task.phase);
            let within: number | undefined;
            if (!done && opts.duringWait) {
                try {
                    within = await opts.duringWait(id);
                } catch (err) {
                    opts.log(`${label} ${id}: warning: ${messageOf(err)}`);
                    within = 10_000;
                }
            }
            return {
                value: task,
                done,
                phase: task.status,
                progress: task.progress,
                progressResolution: task.progressResolution,
                quietForMs: task.quietForMs,
                observeWithinMs: within,
            };
        },
        onStep: (step) => {
            const now = clock.now();
            const line = step.value.summary;
            if (line !== lastLine || now - lastLoggedAt >= heartbeat) {
                opts.log(`${label} ${id}: ${line} [${formatDuration(now - started)}]`);
                lastLine = line;
                lastLoggedAt = now;
            }
        },
    });
}

/** "1h02m", "4m05s", "12s". */
export function formatDuration(ms: number): string {
    const s = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    if (h > 0) {
        return `${h}h${String(m).padStart(2, "0")}m`;
    }
    if (m > 0) {
        return `${m}m${String(sec).padStart(2, "0")}s`;
    }
    return `${sec}s`;
}
