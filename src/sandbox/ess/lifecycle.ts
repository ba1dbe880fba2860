/**
 * Lifecycle hooks, lifecycle actions and scaling activities, as the refresh engine keeps them.
 *
 * Each batch of an instance refresh is a scaling activity that launches new instances. When the
 * group has Active SCALE_OUT hooks, the activity first puts its instances in Pending: one
 * lifecycle action per hook (its InstanceIds are the batch's new instances, as in ESS), each with
 * a window of the hook's HeartbeatTimeout. An action ends, whichever comes first, when
 *  - the instances finish their bootstrap (scenario.bootstrapSeconds) and complete it with
 *    CONTINUE: status Completed;
 *  - CompleteLifecycleAction is called: status Completed, with the result given (default: the
 *    hook's DefaultResult);
 *  - its window expires: status Timeout, with the hook's DefaultResult.
 * RecordLifecycleActionHeartbeat moves the window's end to now + heartbeatTimeout (30-21600 s,
 * default 600), at most 20 times per Pending period and never beyond 6 hours after the action
 * entered Pending (vendor page, seed 004).
 *
 * Pure data and functions: no clock, no I/O (the engine passes the times).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { formatEssMinute } from "./format";
import type {
    EssLifecycleHookSeed,
    LifecycleActionResult,
    LifecycleActionStatus,
    LifecycleTransition,
    ScalingActivityStatus,
    SimLifecycleAction,
    SimLifecycleHook,
    SimScalingActivity,
} from "./types";

/** RecordLifecycleActionHeartbeat's heartbeatTimeout and a hook's HeartbeatTimeout, seconds. */
export const HEARTBEAT_TIMEOUT_MIN_SECONDS = 30;
export const HEARTBEAT_TIMEOUT_MAX_SECONDS = 21_600;
export const HEARTBEAT_TIMEOUT_DEFAULT_SECONDS = 600;
/** Heartbeats accepted per Pending period. */
export const MAX_HEARTBEATS_PER_PENDING = 20;
/** Longest an instance may stay Pending: 6 hours. */
export const MAX_PENDING_MS = 6 * 3600 * 1000;

const TRANSITIONS: readonly LifecycleTransition[] = ["SCALE_OUT", "SCALE_IN"];
const RESULTS: readonly LifecycleActionResult[] = ["CONTINUE", "ABANDON", "ROLLBACK"];

/** Whether a string is a lifecycle action result (CONTINUE, ABANDON, ROLLBACK). */
export function isLifecycleResult(v: string): v is LifecycleActionResult {
    return (RESULTS as readonly string[]).includes(v);
}

/** Whether a string is a lifecycle action status (Pending, Timeout, Completed). */
export function isLifecycleStatus(v: string): v is LifecycleActionStatus {
    return v === "Pending" || v === "Timeout" || v === "Completed";
}

/** A random id: prefix + 20 hex digits. */
export function randomId(prefix: string): string {
    return prefix + randomBytes(10).toString("hex");
}

/** A lifecycle hook as the engine keeps it. */
export interface Hook {
    id: string;
    name: string;
    scalingGroupId: string;
    regionId: string;
    transition: LifecycleTransition;
    defaultResult: LifecycleActionResult;
    heartbeatTimeout: number;
    status: "Active" | "InActive";
    notificationArn: string;
    notificationMetadata?: string;
}

/** A scaling activity (one batch of a refresh) as the engine keeps it. */
export interface Activity {
    seq: number;
    id: string;
    scalingGroupId: string;
    taskId?: string;
    description: string;
    cause: string;
    startedAt: number;
    endedAt?: number;
    status: ScalingActivityStatus;
    statusMessage: string;
    progress: number;
    /** The new instances it launches. */
    instanceIds: string[];
    /** Capacity of the group, for TotalCapacity. */
    capacity: number;
    /** Instances released by a lifecycle action's ABANDON/ROLLBACK. */
    released: string[];
    actions: Action[];
}

/** A lifecycle action as the engine keeps it. */
export interface Action {
    hook: Hook;
    token: string;
    activity: Activity;
    status: LifecycleActionStatus;
    result: LifecycleActionResult;
    pendingSince: number;
    deadline: number;
    bootstrapAt?: number;
    endedAt?: number;
    endedBy?: "bootstrap" | "timeout" | "CompleteLifecycleAction";
    heartbeats: { at: number; heartbeatTimeout: number; deadline: number }[];
}

/** Validates a hook seed (throws TypeError/RangeError naming the field) and fills defaults. */
export function hookFromSeed(seed: EssLifecycleHookSeed, regionId: string): Hook {
    const where = "EssLifecycleHookSeed";
    const transition = seed.lifecycleTransition ?? "SCALE_OUT";
    if (!TRANSITIONS.includes(transition)) {
        throw new RangeError(`${where}.lifecycleTransition must be SCALE_OUT or SCALE_IN`);
    }
    const defaultResult = seed.defaultResult ?? "CONTINUE";
    if (!isLifecycleResult(defaultResult)) {
        throw new RangeError(`${where}.defaultResult must be CONTINUE, ABANDON or ROLLBACK`);
    }
    const timeout = seed.heartbeatTimeout ?? HEARTBEAT_TIMEOUT_DEFAULT_SECONDS;
    if (
        !Number.isInteger(timeout) ||
        timeout < HEARTBEAT_TIMEOUT_MIN_SECONDS ||
        timeout > HEARTBEAT_TIMEOUT_MAX_SECONDS
    ) {
        throw new RangeError(
            `${where}.heartbeatTimeout must be an integer from ${HEARTBEAT_TIMEOUT_MIN_SECONDS} ` +
                `to ${HEARTBEAT_TIMEOUT_MAX_SECONDS} seconds, got ${String(timeout)}`,
        );
    }
    const status = seed.lifecycleHookStatus ?? "Active";
    if (status !== "Active" && status !== "InActive") {
        throw new RangeError(`${where}.lifecycleHookStatus must be Active or InActive`);
    }
    const id = seed.lifecycleHookId ?? randomId("ash-");
    if (typeof id !== "string" || id === "") {
        throw new TypeError(`${where}.lifecycleHookId must be a non-empty string`);
    }
    const hook: Hook = {
        id,
        name: seed.lifecycleHookName ?? id,
        scalingGroupId: seed.scalingGroupId,
        regionId,
        transition,
        defaultResult,
        heartbeatTimeout: timeout,
        status,
        notificationArn: seed.notificationArn ?? `acs:ess:${regionId}:0:null/null`,
    };
    if (seed.notificationMetadata !== undefined) {
        hook.notificationMetadata = seed.notificationMetadata;
    }
    return hook;
}

/** Starts a Pending lifecycle action of `hook` for the activity's instances at time `t`. */
export function newAction(
    hook: Hook,
    activity: Activity,
    t: number,
    bootstrapSeconds: number | undefined,
): Action {
    const action: Action = {
        hook,
        token: randomUUID().toUpperCase(),
        activity,
        status: "Pending",
        result: hook.defaultResult,
        pendingSince: t,
        deadline: t + hook.heartbeatTimeout * 1000,
        heartbeats: [],
    };
    if (bootstrapSeconds !== undefined && bootstrapSeconds >= 0) {
        action.bootstrapAt = t + bootstrapSeconds * 1000;
    }
    return action;
}

/** When a Pending action ends on its own (bootstrap or window expiry), and how. */
export function naturalEnd(a: Action): { at: number; by: "bootstrap" | "timeout" } {
    if (a.bootstrapAt !== undefined && a.bootstrapAt < a.deadline) {
        return { at: a.bootstrapAt, by: "bootstrap" };
    }
    return { at: a.deadline, by: "timeout" };
}

/** Ends a Pending action whose natural end is at or before `t` (at that end). */
export function settleAction(a: Action, t: number): void {
    if (a.status !== "Pending") {
        return;
    }
    const end = naturalEnd(a);
    if (end.at > t) {
        return;
    }
    if (end.by === "bootstrap") {
        endAction(a, end.at, "Completed", "CONTINUE", "bootstrap");
    } else {
        endAction(a, end.at, "Timeout", a.hook.defaultResult, "timeout");
    }
}

/** Ends an action; on ABANDON/ROLLBACK its instances are released and its activity fails. */
export function endAction(
    a: Action,
    t: number,
    status: "Completed" | "Timeout",
    result: LifecycleActionResult,
    by: NonNullable<Action["endedBy"]>,
): void {
    a.status = status;
    a.result = result;
    a.endedAt = t;
    a.endedBy = by;
    const activity = a.activity;
    if (result !== "CONTINUE" && activity.status === "InProgress") {
        activity.released = [...activity.instanceIds];
        closeActivity(activity, t, "Failed", abandonReason(a));
    }
}

/** Why an action released its instances, in words a user can act on. */
export function abandonReason(a: Action): string {
    const hook = `lifecycle hook "${a.hook.name}" (${a.hook.id})`;
    const how =
        a.endedBy === "timeout"
            ? `timed out after ${Math.round((a.deadline - a.pendingSince) / 1000)} seconds ` +
              `in Pending (${a.heartbeats.length} heartbeat(s) recorded), and its default result ` +
              `is ${a.result}`
            : a.endedBy === "CompleteLifecycleAction"
              ? `was completed with ${a.result} (CompleteLifecycleAction)`
              : `ended with ${a.result}`;
    return (
        `The lifecycle action of ${hook} ${how}: the new instances ` +
        `${a.activity.instanceIds.join(", ")} were released.`
    );
}

/** Ends an activity. */
export function closeActivity(
    activity: Activity,
    t: number,
    status: ScalingActivityStatus,
    message: string,
): void {
    activity.status = status;
    activity.endedAt = t;
    activity.statusMessage = message;
    activity.progress = 100;
}

/** The Pending actions of an activity. */
export function pendingActions(activity: Activity): Action[] {
    return activity.actions.filter((a) => a.status === "Pending");
}

/** The first action of an activity that ended with ABANDON or ROLLBACK, if any. */
export function releasingAction(activity: Activity): Action | undefined {
    return activity.actions
        .filter((a) => a.status !== "Pending" && a.result !== "CONTINUE")
        .sort((x, y) => (x.endedAt ?? 0) - (y.endedAt ?? 0))[0];
}

/** The DescribeLifecycleHooks view of a hook. */
export function hookSnapshot(h: Hook): SimLifecycleHook {
    const snap: SimLifecycleHook = {
        ScalingGroupId: h.scalingGroupId,
        LifecycleHookId: h.id,
        LifecycleHookName: h.name,
        LifecycleTransition: h.transition,
        DefaultResult: h.defaultResult,
        HeartbeatTimeout: h.heartbeatTimeout,
        LifecycleHookStatus: h.status,
        NotificationArn: h.notificationArn,
    };
    if (h.notificationMetadata !== undefined) {
        snap.NotificationMetadata = h.notificationMetadata;
    }
    return snap;
}

/** The DescribeLifecycleActions view of an action, plus the sandbox extras. */
export function actionSnapshot(a: Action): SimLifecycleAction {
    const snap: SimLifecycleAction = {
        LifecycleHookId: a.hook.id,
        LifecycleActionToken: a.token,
        LifecycleActionStatus: a.status,
        LifecycleActionResult: a.result,
        InstanceIds: [...a.activity.instanceIds],
        scalingActivityId: a.activity.id,
        scalingGroupId: a.activity.scalingGroupId,
        pendingSince: a.pendingSince,
        deadline: a.deadline,
        heartbeats: a.heartbeats.map((h) => ({ ...h })),
    };
    if (a.activity.taskId !== undefined) {
        snap.instanceRefreshTaskId = a.activity.taskId;
    }
    if (a.bootstrapAt !== undefined) {
        snap.bootstrapAt = a.bootstrapAt;
    }
    if (a.endedAt !== undefined) {
        snap.endedAt = a.endedAt;
    }
    if (a.endedBy !== undefined) {
        snap.endedBy = a.endedBy;
    }
    return snap;
}

/** The DescribeScalingActivities view of an activity, plus the sandbox extras. */
export function activitySnapshot(a: Activity): SimScalingActivity {
    const created = a.instanceIds.length;
    const snap: SimScalingActivity = {
        ScalingActivityId: a.id,
        ScalingGroupId: a.scalingGroupId,
        Description: a.description,
        Cause: a.cause,
        StartTime: formatEssMinute(a.startedAt),
        Progress: a.progress,
        StatusCode: a.status,
        StatusMessage: a.statusMessage,
        TotalCapacity: String(a.capacity),
        AttachedCapacity: "0",
        AutoCreatedCapacity: String(a.capacity),
        ScalingInstanceNumber: created,
        CreatedCapacity: created,
        CreatedInstances: [...a.instanceIds],
        DestroyedCapacity: a.released.length,
        DestroyedInstances: [...a.released],
        LifecycleHookContext: { DisableLifecycleHook: false, IgnoredLifecycleHookIds: [] },
        startedAt: a.startedAt,
    };
    if (a.endedAt !== undefined) {
        snap.EndTime = formatEssMinute(a.endedAt);
    }
    if (a.status === "Failed") {
        snap.ErrorMessage = a.statusMessage;
    }
    if (a.taskId !== undefined) {
        snap.instanceRefreshTaskId = a.taskId;
    }
    return snap;
}
