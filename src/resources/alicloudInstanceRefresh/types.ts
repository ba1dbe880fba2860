import type { EssContainer, EssDesiredConfiguration } from "../../clouds/alicloud/ess";

/** What the refresh moves the group to: exactly one of imageId, scalingConfigurationId, launchTemplateId, containers. */
export interface DesiredConfiguration {
    /** An image for the group's active scaling configuration. Not with a launch-template group. */
    imageId?: string;
    /** A scaling configuration that becomes the group's active one. */
    scalingConfigurationId?: string;
    /** A launch template the group takes its launch settings from. */
    launchTemplateId?: string;
    /** A fixed version number, "Default" or "Latest" (these two cannot be rolled back). Only with launchTemplateId. */
    launchTemplateVersion?: string;
    /** Instance types overriding the template's. Only with launchTemplateId. */
    launchTemplateOverrides?: { instanceType: string }[];
    /** Containers of an Elastic Container Instance group. */
    containers?: EssContainer[];
}

/** Plain inputs of alicloud.InstanceRefresh, as the provider sees them (after defaults). */
export interface InstanceRefreshInputs {
    scalingGroupId: string;
    region?: string;
    endpoint?: string;
    /** Left out: the instances not on the group's active configuration are replaced. */
    desiredConfiguration?: DesiredConfiguration;
    minHealthyPercentage: number;
    maxHealthyPercentage: number;
    skipMatching: boolean;
    checkpoints?: number[];
    checkpointPauseMinutes: number;
    triggers?: unknown;
    timeoutMinutes: number;
    onFailure: "rollback" | "fail";
    onTimeout: "cancel" | "rollback" | "leave";
    onConflict: "wait" | "cancel" | "fail";
}

/** Outputs of alicloud.InstanceRefresh: what the cloud last reported of the refresh. */
export interface InstanceRefreshOutputs extends InstanceRefreshInputs {
    /** The ESS instance refresh task id. */
    instanceRefreshTaskId?: string;
    /** The task's status, e.g. "Successful", "Failed", "InProgress". */
    status?: string;
    /** ESS's reason for the status, if any. */
    detail?: string;
    /** Instances the refresh has to replace. */
    totalNeedUpdateCapacity?: number;
    /** Instances replaced so far. */
    finishedUpdateCapacity?: number;
    startTime?: string;
    endTime?: string;
}

/** Defaults of the optional arguments (from the StartInstanceRefresh reference where it sets them). */
export const DEFAULTS = {
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    skipMatching: true,
    checkpointPauseMinutes: 60,
    timeoutMinutes: 60,
    onFailure: "fail",
    onTimeout: "cancel",
    onConflict: "wait",
} as const;

/** Argument ranges, shared by validation and the docs. */
export const LIMITS = {
    minHealthyPercentage: [0, 100],
    maxHealthyPercentage: [100, 200],
    checkpointPercentage: [1, 100],
    checkpointPauseMinutes: [1, 2880],
    timeoutMinutes: [1, 10080],
} as const;

/** Inputs whose change means a new refresh. */
export const REFRESH_KEYS = [
    "scalingGroupId",
    "region",
    "desiredConfiguration",
    "minHealthyPercentage",
    "maxHealthyPercentage",
    "skipMatching",
    "checkpoints",
    "checkpointPauseMinutes",
    "triggers",
] as const;

/** Inputs that only change how `pulumi up` waits. */
export const WAIT_KEYS = [
    "endpoint",
    "heartbeatPolicies",
    "timeoutMinutes",
    "onFailure",
    "onTimeout",
    "onConflict",
] as const;

/** The desired configuration in the ESS client's shape. */
export function toEssDesiredConfiguration(c: DesiredConfiguration): EssDesiredConfiguration {
    return { ...c };
}

/** The Pulumi type token of the resource. */
export const INSTANCE_REFRESH_TYPE = "pulumi-rollout:alicloud:InstanceRefresh";

/** Every output of the resource, empty: what state holds before a refresh has reported. */
export const ESS_EMPTY_OUTPUTS: Readonly<Record<string, null | string>> = {
    instanceRefreshTaskId: null,
    status: null,
    detail: "",
    totalNeedUpdateCapacity: null,
    finishedUpdateCapacity: null,
    startTime: "",
    endTime: "",
    plan: null,
};
