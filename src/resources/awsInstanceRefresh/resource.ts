import type { HeartbeatReport } from "../../core/heartbeats";
import { heartbeatPolicyInputs } from "../heartbeatPolicy/resource";
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider, unsetOutputs } from "../serializedProvider";
import type { RefreshWaitArgs } from "../common/waitArgs";
import { AWS_EMPTY_OUTPUTS, AWS_INSTANCE_REFRESH_TYPE } from "./types";

/** A launch template and version. Set exactly one of launchTemplateId and launchTemplateName. */
export interface LaunchTemplateSpecArgs {
    launchTemplateId?: pulumi.Input<string>;
    launchTemplateName?: pulumi.Input<string>;
    /** A version number, "$Latest" or "$Default" (default "$Default"). Aliases need `triggers`. */
    version?: pulumi.Input<string>;
}

/** What the refresh moves the group to: exactly one of launchTemplate and mixedInstancesPolicy. */
export interface AwsDesiredConfigurationArgs {
    launchTemplate?: pulumi.Input<LaunchTemplateSpecArgs>;
    mixedInstancesPolicy?: pulumi.Input<{
        launchTemplate: pulumi.Input<{
            launchTemplateSpecification: pulumi.Input<LaunchTemplateSpecArgs>;
            overrides?: pulumi.Input<
                pulumi.Input<{
                    instanceType?: pulumi.Input<string>;
                    weightedCapacity?: pulumi.Input<string>;
                    launchTemplateSpecification?: pulumi.Input<LaunchTemplateSpecArgs>;
                }>[]
            >;
        }>;
        instancesDistribution?: pulumi.Input<{
            onDemandAllocationStrategy?: pulumi.Input<string>;
            onDemandBaseCapacity?: pulumi.Input<number>;
            onDemandPercentageAboveBaseCapacity?: pulumi.Input<number>;
            spotAllocationStrategy?: pulumi.Input<string>;
            spotInstancePools?: pulumi.Input<number>;
            spotMaxPrice?: pulumi.Input<string>;
        }>;
    }>;
}

/** StartInstanceRefresh preferences; unset ones take AWS's defaults. */
export interface AwsRefreshPreferencesArgs {
    /** Capacity kept in service, 0 to 100 (AWS default 90). */
    minHealthyPercentage?: pulumi.Input<number>;
    /** Capacity the group may grow to, 100 to 200, at most min + 100; needs minHealthyPercentage. */
    maxHealthyPercentage?: pulumi.Input<number>;
    /** Seconds a new instance warms up before it counts as healthy (AWS default: the group's). */
    instanceWarmupSeconds?: pulumi.Input<number>;
    /** Percentages at which the refresh waits: ascending, 1 to 100; a last one below 100 replaces only that share. */
    checkpointPercentages?: pulumi.Input<pulumi.Input<number>[]>;
    /** Seconds to wait at each checkpoint, 0 to 172800 (AWS default 3600). */
    checkpointDelaySeconds?: pulumi.Input<number>;
    /** Skip instances already on the desired configuration (AWS default false). */
    skipMatching?: pulumi.Input<boolean>;
    /** Roll back automatically when the refresh fails (sent as true with onFailure "rollback"). */
    autoRollback?: pulumi.Input<boolean>;
    /** "Refresh", "Ignore" or "Wait" (AWS default "Wait": waits an hour, then fails). */
    scaleInProtectedInstances?: pulumi.Input<"Refresh" | "Ignore" | "Wait">;
    /** "Terminate", "Ignore" or "Wait" (AWS default "Wait": waits an hour, then fails). */
    standbyInstances?: pulumi.Input<"Terminate" | "Ignore" | "Wait">;
    /** CloudWatch alarms (1 to 10) whose ALARM state fails the refresh. */
    alarmSpecification?: pulumi.Input<{ alarms: pulumi.Input<pulumi.Input<string>[]> }>;
    /** Seconds to bake after the last replacement before Successful, 0 to 172800 (default 0). */
    bakeTimeSeconds?: pulumi.Input<number>;
}

/** Arguments of {@link InstanceRefresh}. */
export interface InstanceRefreshArgs extends RefreshWaitArgs {
    /** The Auto Scaling group to refresh. Required. */
    autoScalingGroupName: pulumi.Input<string>;
    /** Region. Default: the stack's `aws:region`, else the SDK's chain (AWS_REGION, the profile). */
    region?: pulumi.Input<string>;
    /** Auto Scaling endpoint URL (http:// only for loopback). Default: AWS_ENDPOINT_URL_AUTO_SCALING, else AWS's. */
    endpoint?: pulumi.Input<string>;
    /** Shared-config profile for credentials. Default: the stack's `aws:profile`, else the SDK's chain. */
    profile?: pulumi.Input<string>;
    /** "Rolling", the only strategy (default). */
    strategy?: pulumi.Input<"Rolling">;
    /** What the group moves to; unset: its current configuration. */
    desiredConfiguration?: pulumi.Input<AwsDesiredConfigurationArgs>;
    /** StartInstanceRefresh preferences. */
    preferences?: pulumi.Input<AwsRefreshPreferencesArgs>;
    /** When the refresh fails: "rollback" (AWS AutoRollback, waited for) or "fail". Default "fail". */
    onFailure?: pulumi.Input<"rollback" | "fail">;
}

/**
 * An EC2 Auto Scaling instance refresh that `pulumi up` starts and waits for: it returns when the
 * refresh is Successful and fails, with AWS's StatusReason, when it is not.
 */
export class InstanceRefresh extends pulumi.dynamic.Resource {
    /** The id of the latest refresh. */
    declare public readonly instanceRefreshId: pulumi.Output<string>;
    /** Its status: Successful after a good `pulumi up`; Failed, Cancelled, RollbackSuccessful, ... after a failed one. */
    declare public readonly status: pulumi.Output<string>;
    /** AWS's reason for the status ("" when none). */
    declare public readonly statusReason: pulumi.Output<string>;
    /** How much of the group has been replaced, 0 to 100. */
    declare public readonly percentageComplete: pulumi.Output<number>;
    /** Instances left to replace. */
    declare public readonly instancesToUpdate: pulumi.Output<number>;
    /** When the refresh started (ISO 8601). */
    declare public readonly startTime: pulumi.Output<string>;
    /** When it ended ("" while running). */
    declare public readonly endTime: pulumi.Output<string>;
    /** AWS's RollbackDetails when the refresh was rolled back, else null. */
    declare public readonly rollbackDetails: pulumi.Output<Record<string, unknown> | null>;

    /** With heartbeatPolicies: each lifecycle action of an instance of the group held in a policy's hook during the wait (AWS does not say which launch an instance came from), its heartbeats and how it ended. */
    declare public readonly heartbeats: pulumi.Output<HeartbeatReport[]>;

    /** The rollout plan read before the refresh started (README, "Preview"): the instances to replace and skip, batches, estimate, what was in the way; or `{ unavailable }` with the reason there was none. */
    declare public readonly plan: pulumi.Output<Record<string, unknown> | null>;

    constructor(name: string, args: InstanceRefreshArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider(AWS_INSTANCE_REFRESH_TYPE),
            name,
            {
                ...args,
                heartbeatPolicies: heartbeatPolicyInputs(args.heartbeatPolicies),
                __resourceName: name,
                ...unsetOutputs(AWS_EMPTY_OUTPUTS),
                heartbeats: undefined,
            },
            opts,
            "rollout",
            "aws.InstanceRefresh",
        );
    }
}
