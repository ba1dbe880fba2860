/**
 * Types of alicloud.LifecycleHeartbeatPolicy and aws.LifecycleHeartbeatPolicy: one declarative
 * heartbeat policy for one lifecycle hook, used by the InstanceRefresh resources while they wait,
 * and on its own (servicePendingActions) for deploys whose scaling happens elsewhere.
 */
import type { HeartbeatReport } from "../../core/heartbeats";

/** The clouds a policy exists for. */
export type HeartbeatCloud = "alicloud" | "aws";

/** Pulumi type tokens. */
export const ALICLOUD_HEARTBEAT_POLICY_TYPE = "pulumi-rollout:alicloud:LifecycleHeartbeatPolicy";
export const AWS_HEARTBEAT_POLICY_TYPE = "pulumi-rollout:aws:LifecycleHeartbeatPolicy";

/** The documented ranges, per cloud (ESS: RecordLifecycleActionHeartbeat; AWS: PutLifecycleHook). */
export const POLICY_LIMITS = {
    alicloud: {
        heartbeatTimeoutSeconds: [30, 21600],
        /** ESS: at most 20 heartbeats per Pending period. */
        maxHeartbeats: [1, 20],
        /** ESS: at most 6 hours Pending. */
        maxPendingMinutes: [1, 360],
    },
    aws: {
        heartbeatTimeoutSeconds: [30, 7200],
        /** AWS counts no heartbeats: its global timeout is what binds. */
        maxHeartbeats: [1, 10000],
        /** AWS: the global timeout is at most 48 hours. */
        maxPendingMinutes: [1, 2880],
    },
} as const;

/** ESS's caps of one Pending period (seed: RecordLifecycleActionHeartbeat). */
export const ESS_MAX_HEARTBEATS = 20;
export const ESS_MAX_PENDING_SECONDS = 6 * 3600;
/** AWS: GlobalTimeout = min(48 h, 100 x HeartbeatTimeout). */
export const AWS_MAX_GLOBAL_TIMEOUT_SECONDS = 172_800;

/** Defaults of the optional arguments. */
export const POLICY_DEFAULTS = {
    alicloud: { heartbeatTimeoutSeconds: 600, maxHeartbeats: 20 },
    aws: { maxHeartbeats: 10000 },
} as const;

/** Plain inputs of either policy, as the provider sees them (after defaults). */
export interface HeartbeatPolicyInputs {
    /** ESS scalingGroupId / AWS autoScalingGroupName. */
    scalingGroupId?: string;
    autoScalingGroupName?: string;
    /** ESS lifecycleHookId / AWS lifecycleHookName. */
    lifecycleHookId?: string;
    lifecycleHookName?: string;
    /** ESS: default 600; AWS: the hook's own HeartbeatTimeout when unset. */
    heartbeatTimeoutSeconds?: number;
    maxHeartbeats: number;
    /** Unset on AWS until the hook is known. */
    maxPendingMinutes?: number;
    servicePendingActions: boolean;
    region?: string;
    endpoint?: string;
    profile?: string;
    triggers?: unknown;
}

/** What the hook is, as the cloud describes it. */
export interface HookDescription {
    /** ESS lifecycleHookId / AWS lifecycleHookName: what heartbeats name. */
    id: string;
    name: string;
    /** ESS SCALE_OUT / SCALE_IN; AWS autoscaling:EC2_INSTANCE_LAUNCHING / _TERMINATING. */
    transition: string;
    /** CONTINUE, ABANDON or ROLLBACK (ESS). */
    defaultResult: string;
    /** The hook's own HeartbeatTimeout: every action's first window. */
    timeoutSeconds: number;
    /** ESS Active / InActive. */
    status?: string;
}

/**
 * The `policy` output: everything a refresh's `heartbeatPolicies` needs, resolved against the hook.
 * Pass the policy resource itself (or this value) to InstanceRefresh.
 */
export interface HeartbeatPolicyValue {
    cloud: HeartbeatCloud;
    /** The scaling group (ESS id / AWS name). */
    group: string;
    /** The hook (ESS id / AWS name). */
    hook: string;
    hookName: string;
    transition: string;
    defaultResult: string;
    hookTimeoutSeconds: number;
    heartbeatTimeoutSeconds: number;
    maxHeartbeats: number;
    maxPendingMinutes: number;
}

/** Outputs of the policy resources. */
export interface HeartbeatPolicyOutputs {
    policy: HeartbeatPolicyValue;
    hookName: string;
    lifecycleTransition: string;
    defaultResult: string;
    hookHeartbeatTimeoutSeconds: number;
    /** With servicePendingActions: what happened to each action pending during the latest `pulumi up`. */
    actions: HeartbeatReport[];
}

/** Every output, empty. */
export const POLICY_EMPTY_OUTPUTS: Readonly<Record<string, unknown>> = {
    policy: null,
    hookName: null,
    lifecycleTransition: null,
    defaultResult: null,
    hookHeartbeatTimeoutSeconds: null,
    actions: [],
};

/** Every argument, per cloud. */
export const POLICY_INPUT_KEYS = {
    alicloud: [
        "scalingGroupId",
        "lifecycleHookId",
        "heartbeatTimeoutSeconds",
        "maxHeartbeats",
        "maxPendingMinutes",
        "servicePendingActions",
        "region",
        "endpoint",
        "triggers",
    ],
    aws: [
        "autoScalingGroupName",
        "lifecycleHookName",
        "heartbeatTimeoutSeconds",
        "maxHeartbeats",
        "maxPendingMinutes",
        "servicePendingActions",
        "region",
        "endpoint",
        "profile",
        "triggers",
    ],
} as const;
