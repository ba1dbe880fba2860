import * as pulumi from "@pulumi/pulumi";
import type { HeartbeatReport } from "../../core/heartbeats";
import { serializedProvider, unsetOutputs } from "../serializedProvider";
import {
    ALICLOUD_HEARTBEAT_POLICY_TYPE,
    AWS_HEARTBEAT_POLICY_TYPE,
    HeartbeatPolicyValue,
    POLICY_EMPTY_OUTPUTS,
} from "./types";

/** Arguments both clouds share. */
interface CommonPolicyArgs {
    /** At most this many heartbeats per lifecycle action (ESS 1 to 20, default 20; AWS 1 to 10000, default 10000: AWS counts none, its global timeout binds). */
    maxHeartbeats?: pulumi.Input<number>;
    /**
     * No heartbeat keeps an action pending past this many minutes after it began (ESS 1 to 360;
     * AWS 1 to 2880 and at most the hook's global timeout). Default: as long as maxHeartbeats
     * heartbeats can cover, within the cloud's cap. A value the heartbeats could never reach is
     * refused at preview.
     */
    maxPendingMinutes?: pulumi.Input<number>;
    /**
     * On create and update, keep the hook's currently pending actions alive until each ends or
     * reaches the caps, and report them in `actions`. Default false.
     */
    servicePendingActions?: pulumi.Input<boolean>;
    /** Any values; a change is an update (with servicePendingActions: the pending actions are served again). */
    triggers?: pulumi.Input<Record<string, pulumi.Input<unknown>> | pulumi.Input<unknown>[]>;
}

/** Arguments of {@link AlicloudLifecycleHeartbeatPolicy}. */
export interface AlicloudLifecycleHeartbeatPolicyArgs extends CommonPolicyArgs {
    /** The ESS scaling group. Required. */
    scalingGroupId: pulumi.Input<string>;
    /** The lifecycle hook (ash-…) on that group. Required. */
    lifecycleHookId: pulumi.Input<string>;
    /** The window each heartbeat asks for, seconds, 30 to 21600. Default 600. */
    heartbeatTimeoutSeconds?: pulumi.Input<number>;
    /** Region of the group. Default: the stack's `alicloud:region`, else ALIBABA_CLOUD_REGION_ID. */
    region?: pulumi.Input<string>;
    /** ESS endpoint, host[:port] or https://host[:port] (http:// only for loopback). Default: ALIBABA_CLOUD_ESS_ENDPOINT, else the public regional endpoint. */
    endpoint?: pulumi.Input<string>;
}

/** Arguments of {@link AwsLifecycleHeartbeatPolicy}. */
export interface AwsLifecycleHeartbeatPolicyArgs extends CommonPolicyArgs {
    /** The Auto Scaling group. Required. */
    autoScalingGroupName: pulumi.Input<string>;
    /** The lifecycle hook on that group. Required. */
    lifecycleHookName: pulumi.Input<string>;
    /**
     * 30 to 7200 s. On AWS each heartbeat restarts the hook's own HeartbeatTimeout, so this must
     * equal it when set. Default: the hook's.
     */
    heartbeatTimeoutSeconds?: pulumi.Input<number>;
    /** Region. Default: the stack's `aws:region`, else the SDK's chain. */
    region?: pulumi.Input<string>;
    /** Auto Scaling endpoint URL. Default: AWS_ENDPOINT_URL_AUTO_SCALING, else the public one. */
    endpoint?: pulumi.Input<string>;
    /** Shared-config profile. Default: the stack's `aws:profile`, else the SDK's chain. */
    profile?: pulumi.Input<string>;
}

/** Outputs both clouds share. */
abstract class LifecycleHeartbeatPolicyBase extends pulumi.dynamic.Resource {
    /** The policy resolved against its hook: pass the resource (or this) to an InstanceRefresh's heartbeatPolicies. */
    declare public readonly policy: pulumi.Output<HeartbeatPolicyValue>;
    /** The hook's name. */
    declare public readonly hookName: pulumi.Output<string>;
    /** The hook's transition (ESS SCALE_OUT / SCALE_IN; AWS autoscaling:EC2_INSTANCE_LAUNCHING / _TERMINATING). */
    declare public readonly lifecycleTransition: pulumi.Output<string>;
    /** What the cloud does when an action's window closes: CONTINUE, ABANDON or ROLLBACK. */
    declare public readonly defaultResult: pulumi.Output<string>;
    /** The hook's own HeartbeatTimeout, seconds. */
    declare public readonly hookHeartbeatTimeoutSeconds: pulumi.Output<number>;
    /** With servicePendingActions: each action pending during the latest `pulumi up`, its heartbeats and how it ended. */
    declare public readonly actions: pulumi.Output<HeartbeatReport[]>;
}

/**
 * A heartbeat policy for one ESS lifecycle hook: validated against ESS's caps (30 to 21600 s per
 * heartbeat, 20 heartbeats and 6 hours per Pending period), verified against the hook at `up`, and
 * used by alicloud.InstanceRefresh's `heartbeatPolicies` to keep slow bootstraps alive.
 */
export class AlicloudLifecycleHeartbeatPolicy extends LifecycleHeartbeatPolicyBase {
    constructor(
        name: string,
        args: AlicloudLifecycleHeartbeatPolicyArgs,
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            serializedProvider(ALICLOUD_HEARTBEAT_POLICY_TYPE),
            name,
            { ...args, __resourceName: name, ...unsetOutputs(POLICY_EMPTY_OUTPUTS) },
            opts,
            "rollout",
            "alicloud.LifecycleHeartbeatPolicy",
        );
    }
}

/**
 * A heartbeat policy for one EC2 Auto Scaling lifecycle hook: validated against AWS's caps (30 to
 * 7200 s heartbeat timeout, a global timeout of min(48 h, 100 x the heartbeat timeout)), verified
 * against the hook at `up`, and used by aws.InstanceRefresh's `heartbeatPolicies`.
 */
export class AwsLifecycleHeartbeatPolicy extends LifecycleHeartbeatPolicyBase {
    constructor(
        name: string,
        args: AwsLifecycleHeartbeatPolicyArgs,
        opts?: pulumi.CustomResourceOptions,
    ) {
        super(
            serializedProvider(AWS_HEARTBEAT_POLICY_TYPE),
            name,
            { ...args, __resourceName: name, ...unsetOutputs(POLICY_EMPTY_OUTPUTS) },
            opts,
            "rollout",
            "aws.LifecycleHeartbeatPolicy",
        );
    }
}

/** What a refresh's `heartbeatPolicies` takes: policy resources, or their `policy` outputs. */
export type HeartbeatPolicyInput =
    LifecycleHeartbeatPolicyBase | pulumi.Input<HeartbeatPolicyValue>;

/** The `policy` outputs of `heartbeatPolicies` (resources become their policy output). */
export function heartbeatPolicyInputs(
    policies: HeartbeatPolicyInput[] | undefined,
): pulumi.Input<HeartbeatPolicyValue>[] | undefined {
    return policies?.map((p) => (p instanceof LifecycleHeartbeatPolicyBase ? p.policy : p));
}
