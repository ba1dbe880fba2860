/**
 * Lifecycle hooks of the Auto Scaling simulator: the limits AWS documents for them, the
 * validation of a hook, and the texts the engine reports when a launch is abandoned.
 *
 * Sources: the Auto Scaling API reference (PutLifecycleHook: HeartbeatTimeout 30-7200 s, default
 * 3600; DefaultResult CONTINUE | ABANDON, default ABANDON; LifecycleHookName 1-255 characters of
 * [A-Za-z0-9-_/]. LifecycleHook.GlobalTimeout: at most 172800 s or 100 x HeartbeatTimeout,
 * whichever is smaller. RecordLifecycleActionHeartbeat extends the timeout by HeartbeatTimeout).
 */
import type {
    AsgLifecycleActionEnd,
    AsgLifecycleActionResult,
    AsgLifecycleHookSeed,
    AsgLifecycleTransition,
    SimLifecycleHook,
} from "./types";

/** The transition of a hook that holds launching instances in Pending:Wait. */
export const LAUNCHING_TRANSITION: AsgLifecycleTransition = "autoscaling:EC2_INSTANCE_LAUNCHING";
/** The transition of a hook that holds terminating instances in Terminating:Wait. */
export const TERMINATING_TRANSITION: AsgLifecycleTransition =
    "autoscaling:EC2_INSTANCE_TERMINATING";

/** The lifecycle transitions AWS accepts. */
export const LIFECYCLE_TRANSITIONS: readonly AsgLifecycleTransition[] = [
    LAUNCHING_TRANSITION,
    TERMINATING_TRANSITION,
];
/** The results a lifecycle action can end with. */
export const LIFECYCLE_ACTION_RESULTS: readonly AsgLifecycleActionResult[] = [
    "CONTINUE",
    "ABANDON",
];

/** HeartbeatTimeout limits and default (seconds). */
export const MIN_HEARTBEAT_TIMEOUT = 30;
export const MAX_HEARTBEAT_TIMEOUT = 7200;
export const DEFAULT_HEARTBEAT_TIMEOUT = 3600;
/** The cap on GlobalTimeout (seconds): 48 hours. */
export const MAX_GLOBAL_TIMEOUT = 172_800;
/** A hook's DefaultResult when none is given. */
export const DEFAULT_LIFECYCLE_RESULT: AsgLifecycleActionResult = "ABANDON";
/** AWS's limit of lifecycle hooks per group. */
export const MAX_LIFECYCLE_HOOKS_PER_GROUP = 50;

/** The seconds an instance may stay in a wait state: min(172800, 100 x heartbeatTimeout). */
export function globalTimeoutFor(heartbeatTimeout: number): number {
    return Math.min(MAX_GLOBAL_TIMEOUT, 100 * heartbeatTimeout);
}

/** Whether a string is a valid hook name. */
export function isLifecycleHookName(name: string): boolean {
    return name.length >= 1 && name.length <= 255 && /^[A-Za-z0-9\-_/]+$/.test(name);
}

/** A validated hook (its group's name is not part of it). */
export type LifecycleHookSettings = Omit<SimLifecycleHook, "autoScalingGroupName">;

function optionalText(
    seed: AsgLifecycleHookSeed,
    key: "notificationMetadata" | "notificationTargetARN" | "roleARN",
    max: number,
): string | undefined {
    const v = seed[key];
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "string" || v.length < 1 || v.length > max) {
        throw new RangeError(`lifecycle hook ${key} must be a string of 1 to ${max} characters`);
    }
    return v;
}

/**
 * Validates a hook seed and fills in the defaults; throws TypeError / RangeError naming the
 * field (the simulator's seeding errors, not API errors).
 */
export function normalizeLifecycleHook(seed: AsgLifecycleHookSeed): LifecycleHookSettings {
    const name: unknown = seed.lifecycleHookName;
    if (typeof name !== "string" || !isLifecycleHookName(name)) {
        throw new TypeError(
            "lifecycle hook lifecycleHookName must be 1 to 255 characters of [A-Za-z0-9-_/], " +
                `got ${JSON.stringify(name)}`,
        );
    }
    if (!LIFECYCLE_TRANSITIONS.includes(seed.lifecycleTransition)) {
        throw new RangeError(
            `lifecycle hook ${name}: lifecycleTransition must be one of ` +
                `${LIFECYCLE_TRANSITIONS.join(", ")}, got ${JSON.stringify(seed.lifecycleTransition)}`,
        );
    }
    const heartbeatTimeout = seed.heartbeatTimeout ?? DEFAULT_HEARTBEAT_TIMEOUT;
    if (
        !Number.isInteger(heartbeatTimeout) ||
        heartbeatTimeout < MIN_HEARTBEAT_TIMEOUT ||
        heartbeatTimeout > MAX_HEARTBEAT_TIMEOUT
    ) {
        throw new RangeError(
            `lifecycle hook ${name}: heartbeatTimeout must be an integer from ` +
                `${MIN_HEARTBEAT_TIMEOUT} to ${MAX_HEARTBEAT_TIMEOUT} seconds, got ${String(heartbeatTimeout)}`,
        );
    }
    const defaultResult = seed.defaultResult ?? DEFAULT_LIFECYCLE_RESULT;
    if (!LIFECYCLE_ACTION_RESULTS.includes(defaultResult)) {
        throw new RangeError(
            `lifecycle hook ${name}: defaultResult must be CONTINUE or ABANDON, got ` +
                JSON.stringify(defaultResult),
        );
    }
    const hook: LifecycleHookSettings = {
        lifecycleHookName: name,
        lifecycleTransition: seed.lifecycleTransition,
        heartbeatTimeout,
        globalTimeout: globalTimeoutFor(heartbeatTimeout),
        defaultResult,
    };
    const metadata = optionalText(seed, "notificationMetadata", 1023);
    const target = optionalText(seed, "notificationTargetARN", 255);
    const role = optionalText(seed, "roleARN", 255);
    if (metadata !== undefined) {
        hook.notificationMetadata = metadata;
    }
    if (target !== undefined) {
        hook.notificationTargetARN = target;
    }
    if (role !== undefined) {
        hook.roleARN = role;
    }
    return hook;
}

/** Why a lifecycle action ended the way it did, in words (for StatusReasons). */
export function describeActionEnd(
    endedBy: AsgLifecycleActionEnd,
    hook: { heartbeatTimeout: number; globalTimeout: number; defaultResult: string },
): string {
    switch (endedBy) {
        case "HeartbeatTimeout":
            return (
                `no heartbeat or completion arrived within its HeartbeatTimeout of ` +
                `${hook.heartbeatTimeout} seconds, so its DefaultResult ${hook.defaultResult} applied`
            );
        case "GlobalTimeout":
            return (
                `the instance reached the hook's GlobalTimeout of ${hook.globalTimeout} seconds ` +
                `in Pending:Wait, so its DefaultResult ${hook.defaultResult} applied`
            );
        case "Bootstrap":
            return "the instance's bootstrap completed the lifecycle action with ABANDON";
        case "CompleteLifecycleAction":
            return "a CompleteLifecycleAction request completed it with ABANDON";
        default:
            return "the instance was terminated";
    }
}

/**
 * StatusReason of a refresh (or rollback) that fails because a launching lifecycle action of
 * one of its instances ended with ABANDON.
 */
export function lifecycleAbandonReason(
    rollback: boolean,
    instanceId: string,
    hookName: string,
    why: string,
): string {
    return (
        `${rollback ? "The rollback" : "Instance refresh"} failed because the launch of ` +
        `instance ${instanceId} was abandoned by lifecycle hook ${hookName}: ${why}. The ` +
        "instance was terminated."
    );
}
