// Keeps a fleet's ECS instances ahead of Alibaba Cloud's scheduled maintenance: every `pulumi up`
// (say, the nightly deploy) redeploys the instances that have an open system event RedeployInstance
// handles, at most two at a time, and returns only when each is Running again. `pulumi preview`
// names the instances and events it would act on; with no open event it shows no change.
//
// `npm run demo` runs this stack against the bundled ECS simulator. Against the real cloud: unset
// ALIBABA_CLOUD_ECS_ENDPOINT, use your own credentials, and set the fleet's instance ids, e.g.
//   pulumi config set --path 'instanceIds[0]' i-bp1azkttqpldxgted0001
// or take them from the resources that create the instances (`instance.id`).
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-rollout";

const config = new pulumi.Config();

const fleet = new alicloud.InstanceRedeploy("web-fleet", {
    instanceIds: config.requireObject<string[]>("instanceIds"),
    // The region comes from the stack config `alicloud:region`.
    when: "systemEvent",
    // Maintenance reboots and redeploys only; add the disk events if the fleet has local disks.
    eventTypes: config.getObject<string[]>("eventTypes") ?? [
        "SystemMaintenance.Reboot",
        "SystemMaintenance.Redeploy",
        "SystemFailure.Redeploy",
    ],
    maxConcurrent: config.getNumber("maxConcurrent") ?? 2,
    // A graceful stop: the instances' own shutdown runs. forceStop: true is a power cut.
    forceStop: false,
    // Instances with local disks are refused rather than have their data erased.
    allowLocalDiskDataLoss: config.getBoolean("allowLocalDiskDataLoss") ?? false,
    timeoutMinutes: config.getNumber("timeoutMinutes") ?? 30,
});

export const status = fleet.status;
export const redeployed = fleet.redeployedInstanceIds;
export const failed = fleet.failedInstanceIds;
export const instances = fleet.instances;
