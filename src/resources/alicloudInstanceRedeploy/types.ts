/** Plain inputs of alicloud.InstanceRedeploy, as the provider sees them (after defaults). */
export interface InstanceRedeployInputs {
    instanceIds: string[];
    region?: string;
    endpoint?: string;
    /** "systemEvent": only instances with an open system event RedeployInstance handles; "always": every instance, on create and whenever `triggers` change. */
    when: "always" | "systemEvent";
    /** The system event types that call for a redeploy (with when = "systemEvent"). */
    eventTypes: string[];
    forceStop: boolean;
    allowLocalDiskDataLoss: boolean;
    maxConcurrent: number;
    timeoutMinutes: number;
    triggers?: unknown;
}

/** What happened to one instance in the latest `pulumi up`. */
export type InstanceOutcome =
    /** RedeployInstance finished and the instance is back. */
    | "redeployed"
    /** Nothing to do for it (no open event that calls for a redeploy; already redeployed). */
    | "skipped"
    /** It could not be redeployed: see reason. */
    | "failed"
    /** Its redeploy was still running when timeoutMinutes passed: the next `pulumi up` waits on it. */
    | "inProgress"
    /** It was never reached before timeoutMinutes passed: the next `pulumi up` redeploys it. */
    | "notStarted";

/** The per-instance output. */
export interface InstanceResult {
    instanceId: string;
    outcome: InstanceOutcome;
    /** Why, in words (the cloud's code and message for a failure). */
    reason: string;
    /** The RedeployInstance task, when one was started (or found running). */
    taskId: string | null;
    /** Its last status: Processing, Finished or Failed. */
    taskStatus: string | null;
    /** The system events this redeploy handled (event ids). */
    eventIds: string[];
    /** The instance's status when the resource last looked (Running after a redeploy). */
    statusAfter: string | null;
    /** The cloud's error code of a failure. */
    errorCode: string | null;
}

/** Overall status of the latest `pulumi up`. */
export type RedeployStatus = "Succeeded" | "Failed" | "TimedOut";

/** Defaults of the optional arguments. */
export const DEFAULTS = {
    when: "systemEvent",
    forceStop: false,
    allowLocalDiskDataLoss: false,
    maxConcurrent: 1,
    timeoutMinutes: 30,
} as const;

/** Argument ranges, shared by validation and the docs. */
export const LIMITS = {
    instanceIds: [1, 1000],
    maxConcurrent: [1, 100],
    timeoutMinutes: [1, 1440],
} as const;

/** Every argument. */
export const INPUT_KEYS = [
    "instanceIds",
    "region",
    "endpoint",
    "when",
    "eventTypes",
    "forceStop",
    "allowLocalDiskDataLoss",
    "maxConcurrent",
    "timeoutMinutes",
    "triggers",
] as const;

/** The Pulumi type token of the resource. */
export const INSTANCE_REDEPLOY_TYPE = "pulumi-rollout:alicloud:InstanceRedeploy";

/**
 * State key of the redeploy generation the `instances` results belong to (with when = "always", a
 * hash of the triggers): results of an older generation say nothing about the current one.
 */
export const GENERATION_KEY = "__generation";

/** Every output of the resource, empty. */
export const REDEPLOY_EMPTY_OUTPUTS: Readonly<Record<string, unknown>> = {
    status: null,
    instances: [],
    redeployedInstanceIds: [],
    failedInstanceIds: [],
};
