// An ESS scaling group whose image is rolled out by an instance refresh that `pulumi up` waits
// for: change `imageId` in the stack config, run `pulumi up`, and it returns when every instance
// runs the new image, or fails with ESS's reason (after rolling back, as configured here).
//
//   pulumi config set vswitchId vsw-...          # a vSwitch of your VPC
//   pulumi config set securityGroupId sg-...     # a security group of that VPC
//   pulumi config set imageId m-...              # the image to roll out
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import * as alicloud from "@pulumi/alicloud";
import * as rollout from "pulumi-rollout";

const config = new pulumi.Config();
const imageId = config.require("imageId");

const group = new alicloud.ess.ScalingGroup("web", {
    scalingGroupName: "web",
    minSize: 2,
    maxSize: 8,
    desiredCapacity: 4,
    vswitchIds: [config.require("vswitchId")],
    removalPolicies: ["OldestScalingConfiguration", "OldestInstance"],
    // Instance refresh requires the Priority scale-out policy.
    multiAzPolicy: "PRIORITY",
});

// The configuration new instances launch from. ESS itself writes the refreshed image into it when a
// refresh succeeds, so the refresh below owns `imageId`: this resource must not fight it.
const launch = new alicloud.ess.ScalingConfiguration(
    "web",
    {
        scalingGroupId: group.id,
        imageId,
        instanceType: config.get("instanceType") ?? "ecs.g7.large",
        securityGroupId: config.require("securityGroupId"),
        systemDiskCategory: "cloud_essd",
        active: true,
        enable: true,
        forceDelete: true,
    },
    { ignoreChanges: ["imageId"] },
);

// Replaces the group's instances with ones running `imageId`, 20 % of capacity at a time, with a
// 10-minute pause at a quarter of the group to catch a bad image early.
const refresh = new rollout.alicloud.InstanceRefresh(
    "web-image",
    {
        scalingGroupId: group.id,
        desiredConfiguration: { imageId },
        minHealthyPercentage: 80,
        maxHealthyPercentage: 120,
        checkpoints: [25, 100],
        checkpointPauseMinutes: 10,
        timeoutMinutes: 120,
        onFailure: "rollback",
        onTimeout: "rollback",
        onConflict: "wait",
    },
    { dependsOn: [launch] },
);

export const scalingGroupId = group.id;
export const refreshTaskId = refresh.instanceRefreshTaskId;
export const refreshStatus = refresh.status;
