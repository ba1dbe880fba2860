import type { HeartbeatReport } from "../../core/heartbeats";
import { heartbeatPolicyInputs } from "../heartbeatPolicy/resource";
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider, unsetOutputs } from "../serializedProvider";
import type { RefreshWaitArgs } from "../common/waitArgs";
import type { EssContainer } from "../../clouds/alicloud/ess";
import { ESS_EMPTY_OUTPUTS, INSTANCE_REFRESH_TYPE } from "./types";

/** What the refresh moves the group to: set exactly one of imageId, scalingConfigurationId, launchTemplateId, containers. */
export interface DesiredConfigurationArgs {
    /** An image for the group's active scaling configuration (not for a launch-template group). */
    imageId?: pulumi.Input<string>;
    /** A scaling configuration that becomes the group's active one. */
    scalingConfigurationId?: pulumi.Input<string>;
    /** A launch template for the group's instances. */
    launchTemplateId?: pulumi.Input<string>;
    /** With launchTemplateId: a version number, "Default" or "Latest" (these two cannot be rolled back). */
    launchTemplateVersion?: pulumi.Input<string>;
    /** With launchTemplateId: instance types overriding the template's (at least one). */
    launchTemplateOverrides?: pulumi.Input<pulumi.Input<{ instanceType: pulumi.Input<string> }>[]>;
    /** Containers of an Elastic Container Instance group. */
    containers?: pulumi.Input<pulumi.Input<EssContainer>[]>;
}

/** Arguments of {@link InstanceRefresh}. */
export interface InstanceRefreshArgs extends RefreshWaitArgs {
    /** The ESS scaling group to refresh. Required. */
    scalingGroupId: pulumi.Input<string>;
    /** Region of the group. Default: the stack's `alicloud:region`, else ALIBABA_CLOUD_REGION_ID. */
    region?: pulumi.Input<string>;
    /** ESS endpoint, host[:port] or https://host[:port] (http:// only for loopback). Default: ALIBABA_CLOUD_ESS_ENDPOINT, else the public regional endpoint. */
    endpoint?: pulumi.Input<string>;
    /**
     * What the refresh moves the group to: imageId, scalingConfigurationId (or both), a launch
     * template, or containers. Default: none, and ESS replaces the instances not on the group's
     * active configuration.
     */
    desiredConfiguration?: pulumi.Input<DesiredConfigurationArgs>;
    /** Percentage of the group's capacity that stays in service during the refresh, 0 to 100. Default 80. */
    minHealthyPercentage?: pulumi.Input<number>;
    /** Percentage of capacity the group may grow to during the refresh, 100 to 200. Default 120. */
    maxHealthyPercentage?: pulumi.Input<number>;
    /** Skip instances that already use the desired configuration. Default true. */
    skipMatching?: pulumi.Input<boolean>;
    /** Percentages of new instances at which the refresh pauses: ascending, 1 to 100, the last 100. Default none. */
    checkpoints?: pulumi.Input<pulumi.Input<number>[]>;
    /** Minutes the refresh pauses at each checkpoint, 1 to 2880. Default 60. */
    checkpointPauseMinutes?: pulumi.Input<number>;
    /** When the refresh fails: "rollback" (RollbackInstanceRefresh, then fail) or "fail". Default "fail". */
    onFailure?: pulumi.Input<"rollback" | "fail">;
}

/**
 * An ESS instance refresh that `pulumi up` starts and waits for: it returns when the refresh is
 * Successful and fails, with ESS's own Detail, when it is not.
 */
export class InstanceRefresh extends pulumi.dynamic.Resource {
    /** The ESS instance refresh task id of the latest refresh (null when ESS had nothing to refresh). */
    declare public readonly instanceRefreshTaskId: pulumi.Output<string | null>;
    /** Its status: Successful after a good `pulumi up`; Failed, Cancelled, RollbackSuccessful, ... after a failed one. */
    declare public readonly status: pulumi.Output<string>;
    /** ESS's reason for the status ("" when none). */
    declare public readonly detail: pulumi.Output<string>;
    /** Instances the refresh had to replace. */
    declare public readonly totalNeedUpdateCapacity: pulumi.Output<number>;
    /** Instances it replaced. */
    declare public readonly finishedUpdateCapacity: pulumi.Output<number>;
    /** When the refresh started (ESS's time format). */
    declare public readonly startTime: pulumi.Output<string>;
    /** When it ended ("" while running). */
    declare public readonly endTime: pulumi.Output<string>;

    /** With heartbeatPolicies: each lifecycle action of the refresh's new instances, its heartbeats and how it ended. */
    declare public readonly heartbeats: pulumi.Output<HeartbeatReport[]>;

    /** The rollout plan read before the refresh started (README, "Preview"): the instances to replace and skip, batches, estimate, what was in the way; or `{ unavailable }` with the reason there was none. */
    declare public readonly plan: pulumi.Output<Record<string, unknown> | null>;

    constructor(name: string, args: InstanceRefreshArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider(INSTANCE_REFRESH_TYPE),
            name,
            {
                ...args,
                heartbeatPolicies: heartbeatPolicyInputs(args.heartbeatPolicies),
                __resourceName: name,
                ...unsetOutputs(ESS_EMPTY_OUTPUTS),
                heartbeats: undefined,
            },
            opts,
            "rollout",
            "alicloud.InstanceRefresh",
        );
    }
}
