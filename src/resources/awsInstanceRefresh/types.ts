import type { AsgDesiredConfiguration, AsgRefreshPreferences } from "../../clouds/aws/autoscaling";

/** Plain inputs of aws.InstanceRefresh, as the provider sees them (after defaults). */
export interface AwsInstanceRefreshInputs {
    autoScalingGroupName: string;
    region?: string;
    endpoint?: string;
    profile?: string;
    strategy: "Rolling";
    desiredConfiguration?: AsgDesiredConfiguration;
    preferences: AsgRefreshPreferences;
    triggers?: unknown;
    timeoutMinutes: number;
    onFailure: "rollback" | "fail";
    onTimeout: "cancel" | "rollback" | "leave";
    onConflict: "wait" | "cancel" | "fail";
}

/** Defaults of this library's own options (AWS's preference defaults are AWS's). */
export const AWS_DEFAULTS = {
    strategy: "Rolling",
    timeoutMinutes: 60,
    onFailure: "fail",
    onTimeout: "cancel",
    onConflict: "wait",
} as const;

/** Ranges of the preferences, from the Auto Scaling API reference. */
export const AWS_LIMITS = {
    minHealthyPercentage: [0, 100],
    maxHealthyPercentage: [100, 200],
    instanceWarmupSeconds: [0, 2_147_483_647],
    checkpointPercentage: [1, 100],
    checkpointDelaySeconds: [0, 172_800],
    bakeTimeSeconds: [0, 172_800],
    alarms: [1, 10],
    timeoutMinutes: [1, 10_080],
} as const;

/** Inputs whose change means a new refresh. */
export const AWS_REFRESH_KEYS = [
    "autoScalingGroupName",
    "region",
    "strategy",
    "desiredConfiguration",
    "preferences",
    "triggers",
] as const;

/** Inputs that only change how `pulumi up` waits (or where it calls). */
export const AWS_WAIT_KEYS = [
    "endpoint",
    "heartbeatPolicies",
    "profile",
    "timeoutMinutes",
    "onFailure",
    "onTimeout",
    "onConflict",
] as const;

/** The Pulumi type token of the resource. */
export const AWS_INSTANCE_REFRESH_TYPE = "pulumi-rollout:aws:InstanceRefresh";

/** Every output of the resource, empty: what state holds before a refresh has reported. */
export const AWS_EMPTY_OUTPUTS: Readonly<Record<string, null | string>> = {
    instanceRefreshId: null,
    status: null,
    statusReason: "",
    percentageComplete: null,
    instancesToUpdate: null,
    startTime: "",
    endTime: "",
    rollbackDetails: null,
    plan: null,
};
