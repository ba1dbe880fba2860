import * as pulumi from "@pulumi/pulumi";
import { serializedProvider, unsetOutputs } from "../serializedProvider";
import { INSTANCE_REDEPLOY_TYPE, InstanceResult, REDEPLOY_EMPTY_OUTPUTS } from "./types";

/** Arguments of {@link InstanceRedeploy}. */
export interface InstanceRedeployArgs {
    /** The ECS instances this resource looks after, 1 to 1000. Required. */
    instanceIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Region of the instances. Default: the stack's `alicloud:region`, else ALIBABA_CLOUD_REGION_ID. */
    region?: pulumi.Input<string>;
    /** ECS endpoint, host[:port] or https://host[:port] (http:// only for loopback). Default: ALIBABA_CLOUD_ECS_ENDPOINT, else the public regional endpoint. */
    endpoint?: pulumi.Input<string>;
    /**
     * "systemEvent" (default): redeploy only the instances with an open system event that
     * RedeployInstance handles; "always": redeploy every instance on create and whenever
     * `triggers` change.
     */
    when?: pulumi.Input<"always" | "systemEvent">;
    /** With when "systemEvent": the event types that call for a redeploy. Default: every type RedeployInstance handles. */
    eventTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** Stop a Running instance forcibly (like a power cut: unsaved data may be lost). Default false: a graceful stop. */
    forceStop?: pulumi.Input<boolean>;
    /** Accept that a redeploy erases the data of an instance's local disks. Default false: such instances are refused. */
    allowLocalDiskDataLoss?: pulumi.Input<boolean>;
    /** Instances redeployed at the same time, 1 to 100. Default 1. */
    maxConcurrent?: pulumi.Input<number>;
    /** How long `pulumi up` waits for all redeploys, in minutes, 1 to 1440. Default 30. */
    timeoutMinutes?: pulumi.Input<number>;
    /** Any values; with when "always", a change redeploys every instance again. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<unknown>> | pulumi.Input<unknown>[]>;
}

/**
 * ECS RedeployInstance as part of a deploy: moves instances off hosts with scheduled maintenance
 * (or on every trigger change) when the team runs `pulumi up`, not when the cloud decides, and
 * returns only when each instance is Running again; fails naming each instance that was not.
 */
export class InstanceRedeploy extends pulumi.dynamic.Resource {
    /** Succeeded, Failed or TimedOut: how the latest `pulumi up` ended. */
    declare public readonly status: pulumi.Output<string>;
    /** What happened to each instance: outcome, reason, task id and status, events handled, status after. */
    declare public readonly instances: pulumi.Output<InstanceResult[]>;
    /** Instances redeployed by the latest `pulumi up`. */
    declare public readonly redeployedInstanceIds: pulumi.Output<string[]>;
    /** Instances that could not be redeployed. */
    declare public readonly failedInstanceIds: pulumi.Output<string[]>;

    constructor(name: string, args: InstanceRedeployArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            serializedProvider(INSTANCE_REDEPLOY_TYPE),
            name,
            { ...args, __resourceName: name, ...unsetOutputs(REDEPLOY_EMPTY_OUTPUTS) },
            opts,
            "rollout",
            "alicloud.InstanceRedeploy",
        );
    }
}
