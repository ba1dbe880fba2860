/**
 * The entry point of the dynamic providers inside Pulumi's provider process. The serialized
 * provider stored in state is only a `require("pulumi-rollout/provider")` and a type name, so that
 * state stays small, holds no code or secret, and always runs the installed version of this
 * library. One provider instance per type and process: every resource of a stack shares it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { exitWhenEngineGone } from "./core/engineGone";
import { INSTANCE_REFRESH_TYPE } from "./resources/alicloudInstanceRefresh/types";
import { INSTANCE_REDEPLOY_TYPE } from "./resources/alicloudInstanceRedeploy/types";
import { AWS_INSTANCE_REFRESH_TYPE } from "./resources/awsInstanceRefresh/types";
import {
    ALICLOUD_HEARTBEAT_POLICY_TYPE,
    AWS_HEARTBEAT_POLICY_TYPE,
} from "./resources/heartbeatPolicy/types";

type Provider = pulumi.dynamic.ResourceProvider;

/* eslint-disable @typescript-eslint/no-require-imports */
// Each provider (and the cloud SDK behind it) is loaded only when a resource of its type is first
// used: a stack of AWS refreshes never loads the Alibaba Cloud SDKs, and the reverse.
const factories: Record<string, () => Provider> = {
    [INSTANCE_REFRESH_TYPE]: () =>
        new (
            require("./resources/alicloudInstanceRefresh/provider") as typeof import("./resources/alicloudInstanceRefresh/provider")
        ).InstanceRefreshProvider(),
    [AWS_INSTANCE_REFRESH_TYPE]: () =>
        new (
            require("./resources/awsInstanceRefresh/provider") as typeof import("./resources/awsInstanceRefresh/provider")
        ).AwsInstanceRefreshProvider(),
    [INSTANCE_REDEPLOY_TYPE]: () =>
        new (
            require("./resources/alicloudInstanceRedeploy/provider") as typeof import("./resources/alicloudInstanceRedeploy/provider")
        ).InstanceRedeployProvider(),
    [ALICLOUD_HEARTBEAT_POLICY_TYPE]: () =>
        new (
            require("./resources/heartbeatPolicy/provider") as typeof import("./resources/heartbeatPolicy/provider")
        ).HeartbeatPolicyProvider("alicloud"),
    [AWS_HEARTBEAT_POLICY_TYPE]: () =>
        new (
            require("./resources/heartbeatPolicy/provider") as typeof import("./resources/heartbeatPolicy/provider")
        ).HeartbeatPolicyProvider("aws"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const instances = new Map<string, Provider>();

// This module is loaded by the provider process before any operation: from then on, a killed
// `pulumi up` does not leave it running (see core/engineGone.ts).
exitWhenEngineGone();

/** The process-wide provider of a resource type. */
export function providerFor(type: string): Provider {
    let p = instances.get(type);
    if (!p) {
        const make = factories[type];
        if (!make) {
            throw new Error(
                `pulumi-rollout: no provider for resource type ${type}; is the installed pulumi-rollout older than the one that created it?`,
            );
        }
        p = make();
        instances.set(type, p);
    }
    return p;
}
