/**
 * The entry point of the dynamic providers inside Pulumi's provider process. The serialized
 * provider stored in state is only a `require("pulumi-rollout/provider")` and a type name, so that
 * state stays small, holds no code or secret, and always runs the installed version of this
 * library. One provider instance per type and process: every resource of a stack shares it.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    InstanceRefreshProvider,
    INSTANCE_REFRESH_TYPE,
} from "./resources/alicloudInstanceRefresh/provider";
import {
    INSTANCE_REDEPLOY_TYPE,
    InstanceRedeployProvider,
} from "./resources/alicloudInstanceRedeploy/provider";
import {
    AWS_INSTANCE_REFRESH_TYPE,
    AwsInstanceRefreshProvider,
} from "./resources/awsInstanceRefresh/provider";

const factories: Record<string, () => pulumi.dynamic.ResourceProvider> = {
    [INSTANCE_REFRESH_TYPE]: () => new InstanceRefreshProvider(),
    [AWS_INSTANCE_REFRESH_TYPE]: () => new AwsInstanceRefreshProvider(),
    [INSTANCE_REDEPLOY_TYPE]: () => new InstanceRedeployProvider(),
};

const instances = new Map<string, pulumi.dynamic.ResourceProvider>();

/** The process-wide provider of a resource type. */
export function providerFor(type: string): pulumi.dynamic.ResourceProvider {
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
